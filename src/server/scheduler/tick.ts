// One pass of background work. Every task is safe to run on several replicas at once (row
// locks, SKIP LOCKED, claims) and takes `now` so tests drive time deterministically. A task
// that throws is logged and the others still run.
import { sweepRawUploads } from '@/server/datasets/sweep-uploads';
import type { ServiceContext } from '@/server/http/context';
import { expireAbandonedTextUploads } from '@/server/text-datasets/expire-uploads';
import { resumeStaleTextValidations } from '@/server/text-datasets/resume';
import { reapExpiredLeases } from '@/server/workers/reap-leases';
import { systemContext } from './context.ts';
import { failPastDeadline } from './deadlines.ts';
import { dispatchDueJobs } from './dispatch-due.ts';
import { pollProviders } from './poll-providers.ts';
import { finishDeferredPurges } from './purges.ts';
import { resumeVerifications } from './resume-verification.ts';

export interface TickReport {
  leases_reaped: number;
  past_deadline: number;
  dispatched: number;
  polled: number;
  verifications_resumed: number;
  purges_finished: number;
  text_validations_resumed: number;
  text_uploads_expired: number;
  raw_uploads_swept: number;
}

const TASKS: [keyof TickReport, (ctx: ServiceContext, now: Date) => Promise<number>][] = [
  ['leases_reaped', reapExpiredLeases],
  ['past_deadline', failPastDeadline],
  ['dispatched', dispatchDueJobs],
  ['polled', pollProviders],
  ['verifications_resumed', resumeVerifications],
  ['purges_finished', (ctx) => finishDeferredPurges(ctx)],
  ['text_validations_resumed', (ctx, now) => resumeStaleTextValidations(ctx.db, now)],
  ['text_uploads_expired', expireAbandonedTextUploads],
  ['raw_uploads_swept', sweepRawUploads],
];

export async function runSchedulerTick(now: Date = new Date(), ctx?: ServiceContext): Promise<TickReport> {
  const c = ctx ?? (await systemContext('scheduler'));
  const report: TickReport = { leases_reaped: 0, past_deadline: 0, dispatched: 0, polled: 0, verifications_resumed: 0, purges_finished: 0, text_validations_resumed: 0, text_uploads_expired: 0, raw_uploads_swept: 0 };
  for (const [name, task] of TASKS) {
    try {
      report[name] = await task(c, now);
    } catch (err) {
      c.log.error({ err, task: name }, 'scheduler task failed');
    }
  }
  return report;
}

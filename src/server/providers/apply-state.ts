// A provider's view of a job (Replicate webhook or poll) applied to ours. Providers deliver
// late and out of order, so anything the state machine does not allow from where the job
// is now is ignored (logged), never forced. Success goes through the same artifact checks
// as a worker's; the copy from the provider happens outside the transaction.
import { canTransition } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraJobs, type LoraJob } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { appendControlEvent } from '@/server/jobs/events';
import { getJobForSystem } from '@/server/jobs/internal';
import { cancelJobNow, failJob } from '@/server/jobs/outcomes';
import { transitionJob } from '@/server/jobs/transition';
import { recordReceipt } from '@/server/webhooks/receipts';
import type { PolledState } from './types.ts';

export type ApplyStateResult = { kind: 'ignored'; reason: string } | { kind: 'applied'; status: LoraJob['status'] } | { kind: 'verify'; job: LoraJob };

async function appendNewLogs(db: DbOrTx, job: LoraJob, logs: string | null | undefined): Promise<LoraJob> {
  const seen = Number((job.specJson as { log_chars?: number } | null)?.log_chars ?? 0);
  if (!logs || logs.length <= seen) return job;
  const lines = logs.slice(seen).split(/\r?\n/).filter((l) => l.trim() !== '').slice(-500).map((l) => l.slice(0, 8000));
  if (lines.length > 0) await appendControlEvent(db, { jobId: job.id, attempt: job.attempt, type: 'log', payload: { stream: 'stdout', lines } });
  const [row] = await db.update(loraJobs).set({ specJson: { ...(job.specJson ?? {}), log_chars: logs.length } }).where(eq(loraJobs.id, job.id)).returning();
  return row!;
}

export async function applyProviderState(
  ctx: ServiceContext,
  p: { jobId: string; externalJobId: string; state: PolledState; receipt?: { source: 'replicate'; webhookId: string }; now?: Date },
): Promise<ApplyStateResult> {
  const now = p.now ?? new Date();
  return ctx.db.transaction(async (db) => {
    if (p.receipt) await recordReceipt(db, { ...p.receipt, jobId: p.jobId });
    const jv = await getJobForSystem(db, p.jobId, { forUpdate: true });
    if (!jv || jv.job.externalJobId !== p.externalJobId) return { kind: 'ignored', reason: 'not the current attempt' };
    let job = await appendNewLogs(db, jv.job, (p.state.raw as { logs?: string | null } | undefined)?.logs);
    const to = p.state.status;
    const ignore = (reason: string): ApplyStateResult => {
      ctx.log.info({ jobId: job.id, from: job.status, to, reason }, 'provider update ignored');
      return { kind: 'ignored', reason };
    };
    if (to === job.status) return { kind: 'applied', status: job.status };
    switch (to) {
      case 'dispatched':
        return ignore('still starting');
      case 'running':
        if (!canTransition(job.status, 'running')) return ignore(`cannot go ${job.status} → running`);
        job = await transitionJob(db, job, { to: 'running', now, patch: { startedAt: job.startedAt ?? now, stage: 'training' } });
        return { kind: 'applied', status: job.status };
      case 'failed':
        if (!canTransition(job.status, 'failed')) return ignore(`cannot go ${job.status} → failed`);
        job = await failJob(db, job, p.state.error ?? { code: 'provider_failed', message: 'The provider reported a failure.' }, { now });
        return { kind: 'applied', status: job.status };
      case 'canceled':
        if (job.status === 'dispatched' || job.status === 'running') {
          job = await transitionJob(db, job, { to: 'cancel_requested', now, detail: { requested_by: 'provider' } });
        }
        if (!canTransition(job.status, 'canceled')) return ignore(`cannot go ${job.status} → canceled`);
        job = await cancelJobNow(db, job, 'The provider canceled the training.', { now });
        return { kind: 'applied', status: job.status };
      case 'succeeded': {
        if (!canTransition(job.status, 'succeeded') || job.stage === 'verifying') return ignore(`cannot verify from ${job.status}/${job.stage}`);
        if (job.status === 'dispatched') job = await transitionJob(db, job, { to: 'running', now, patch: { startedAt: job.startedAt ?? now } });
        const [row] = await db.update(loraJobs).set({ stage: 'verifying', progress: 1, updatedAt: now }).where(eq(loraJobs.id, job.id)).returning();
        return { kind: 'verify', job: row! };
      }
    }
  });
}

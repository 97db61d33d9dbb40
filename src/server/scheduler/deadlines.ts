// Jobs past their deadline end with a clear error instead of hanging in "running" forever.
// A queued job nobody picked up ends canceled (nothing ran, so nothing failed — the state
// machine has no queued → failed edge); a running one fails with deadline_exceeded and its
// provider is told to stop; one being canceled just ends canceled.
import { isTerminal } from '@lora-studio/protocol';
import { and, asc, lt, notInArray } from 'drizzle-orm';
import { loraJobs } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { getJobForSystem } from '@/server/jobs/internal';
import { cancelJobNow, failJob } from '@/server/jobs/outcomes';
import { PROVIDER_ADAPTERS } from '@/server/providers/index';

async function expireOne(ctx: ServiceContext, now: Date): Promise<'none' | 'done'> {
  const stopAt = await ctx.db.transaction(async (db) => {
    const [job] = await db
      .select()
      .from(loraJobs)
      .where(and(notInArray(loraJobs.status, ['succeeded', 'failed', 'canceled']), lt(loraJobs.deadlineAt, now)))
      .orderBy(asc(loraJobs.deadlineAt))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!job || isTerminal(job.status)) return null;
    const error = { code: 'deadline_exceeded', message: `The job did not finish before its deadline (${job.deadlineAt!.toISOString()}).` };
    if (job.status === 'queued') {
      await cancelJobNow(db, job, 'No worker picked the job up before its deadline.', { now, error: { ...error, message: `${error.message} No worker picked it up.` } });
      return { stop: false, id: job.id };
    }
    if (job.status === 'cancel_requested') {
      await cancelJobNow(db, job, 'The cancel was not confirmed before the deadline.', { now });
      return { stop: true, id: job.id };
    }
    await failJob(db, job, error, { now });
    return { stop: true, id: job.id };
  });
  if (!stopAt) return 'none';
  if (stopAt.stop) {
    const jv = await getJobForSystem(ctx.db, stopAt.id);
    if (jv) await PROVIDER_ADAPTERS[jv.job.provider].cancel(ctx, jv).catch(() => undefined);
  }
  return 'done';
}

export async function failPastDeadline(ctx: ServiceContext, now: Date, max = 100): Promise<number> {
  let n = 0;
  while (n < max && (await expireOne(ctx, now)) === 'done') n++;
  return n;
}

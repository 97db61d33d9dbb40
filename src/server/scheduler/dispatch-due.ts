// Push providers (webhook_worker, replicate) whose dispatch is due: first tries after a
// replica crashed between commit and dispatch, and retries with backoff while a worker is
// unreachable. dispatchJob claims each job with SKIP LOCKED, so replicas never double-send.
// One job's trouble never stops the loop: the next due job is still sent.
import { and, asc, inArray, isNull, lte, or, eq } from 'drizzle-orm';
import { loraJobs } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { dispatchJob } from '@/server/providers/dispatch';

export async function dispatchDueJobs(ctx: ServiceContext, now: Date, max = 50): Promise<number> {
  const due = await ctx.db
    .select({ id: loraJobs.id })
    .from(loraJobs)
    .where(and(eq(loraJobs.status, 'queued'), inArray(loraJobs.provider, ['webhook_worker', 'replicate']), or(isNull(loraJobs.nextDispatchAt), lte(loraJobs.nextDispatchAt, now))))
    .orderBy(asc(loraJobs.createdAt))
    .limit(max);
  for (const { id } of due) {
    await dispatchJob(ctx, id, now).catch((err: unknown) => ctx.log.error({ err, jobId: id }, 'dispatch failed; the next tick tries again'));
  }
  return due.length;
}

// A job left in stage `verifying` (the app died while checking its artifact, or storage was
// briefly down) is verified again from what was stored: the worker's job.succeeded event, or
// a fresh look at the Replicate training.
import { JobSucceededData } from '@lora-studio/protocol';
import { and, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { jobEvents, loraJobs } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG as C } from '@/server/jobs/config';
import { finalizeSucceeded } from '@/server/jobs/finalize/finalize';
import { getTraining } from '@/server/providers/replicate/client';
import { completeReplicateTraining } from '@/server/providers/replicate/complete';

export async function resumeVerifications(ctx: ServiceContext, now: Date, max = 10): Promise<number> {
  const stale = await ctx.db.transaction(async (db) => {
    const rows = await db
      .select()
      .from(loraJobs)
      .where(and(eq(loraJobs.stage, 'verifying'), inArray(loraJobs.status, ['dispatched', 'running', 'cancel_requested']), lt(loraJobs.updatedAt, new Date(now.getTime() - C.verifyStaleSeconds * 1000))))
      .limit(max)
      .for('update', { skipLocked: true });
    if (rows.length > 0) await db.update(loraJobs).set({ updatedAt: now }).where(inArray(loraJobs.id, rows.map((r) => r.id)));
    return rows;
  });
  for (const job of stale) {
    if (job.provider === 'replicate') {
      const answer = job.externalJobId ? await getTraining(job.externalJobId) : null;
      if (answer?.kind === 'ok') await completeReplicateTraining(ctx, job.id, answer.training);
      continue;
    }
    const [row] = await ctx.db
      .select({ payload: jobEvents.payload })
      .from(jobEvents)
      .where(and(eq(jobEvents.jobId, job.id), eq(jobEvents.attempt, job.attempt), sql`${jobEvents.payload}->>'event' = 'job.succeeded'`))
      .orderBy(desc(jobEvents.id))
      .limit(1);
    const report = JobSucceededData.safeParse(row?.payload);
    if (report.success) await finalizeSucceeded(ctx, { jobId: job.id, attempt: job.attempt, report: report.data, source: 'worker' });
  }
  return stale.length;
}

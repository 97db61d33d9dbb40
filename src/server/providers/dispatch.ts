// Hands a queued job to its provider. Safe with several app replicas: a short claim
// (next_dispatch_at pushed into the future under FOR UPDATE SKIP LOCKED) makes exactly one
// replica send it; the HTTP call happens outside any transaction; the answer is applied
// under the row lock and only if the job is still the same queued attempt.
import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import { loraJobs, loraVersions } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG as C } from '@/server/jobs/config';
import { getJobForSystem, type JobWithVersion } from '@/server/jobs/internal';
import { failJob } from '@/server/jobs/outcomes';
import { failUnbuildableJob } from '@/server/jobs/spec-failure';
import { transitionJob } from '@/server/jobs/transition';
import { PROVIDER_ADAPTERS } from './index.ts';
import type { DispatchResult } from './types.ts';

const logsKeyOf = (record: Record<string, unknown> | undefined) => {
  const logs = (record?.outputs as { logs?: unknown } | undefined)?.logs;
  return typeof logs === 'string' ? logs : null;
};

export function dispatchBackoffSeconds(attempts: number): number {
  return Math.min(C.dispatchBackoffCapSeconds, C.dispatchBackoffBaseSeconds * 2 ** Math.max(0, attempts - 1));
}

async function claim(ctx: ServiceContext, jobId: string, now: Date): Promise<JobWithVersion | null> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .select({ id: loraJobs.id })
      .from(loraJobs)
      .where(and(eq(loraJobs.id, jobId), eq(loraJobs.status, 'queued'), or(isNull(loraJobs.nextDispatchAt), lte(loraJobs.nextDispatchAt, now))))
      .for('update', { skipLocked: true });
    if (!row) return null;
    const [job] = await tx
      .update(loraJobs)
      .set({ nextDispatchAt: new Date(now.getTime() + C.dispatchClaimSeconds * 1000), dispatchAttempts: sql`${loraJobs.dispatchAttempts} + 1` })
      .where(eq(loraJobs.id, jobId))
      .returning();
    const [version] = await tx.select().from(loraVersions).where(eq(loraVersions.id, job!.loraVersionId));
    return { job: job!, version: version! };
  });
}

async function apply(ctx: ServiceContext, claimed: JobWithVersion, result: DispatchResult, now: Date): Promise<void> {
  let cancelAfter = false;
  await ctx.db.transaction(async (db) => {
    const jv = await getJobForSystem(db, claimed.job.id, { forUpdate: true });
    // Canceled (or re-queued as a new attempt) while we were on the wire.
    const same = jv && jv.job.status === 'queued' && jv.job.attempt === claimed.job.attempt;
    if (!same) {
      cancelAfter = result.kind === 'accepted';
      return;
    }
    const job = jv.job;
    switch (result.kind) {
      case 'pull':
        await db.update(loraJobs).set({ nextDispatchAt: null }).where(eq(loraJobs.id, job.id));
        return;
      case 'accepted': {
        await transitionJob(db, job, {
          to: 'dispatched',
          now,
          patch: { externalJobId: result.externalJobId, nextDispatchAt: null, specJson: result.record ?? null, logsKey: logsKeyOf(result.record), backend: result.backend ?? null },
          detail: { provider: job.provider, external_job_id: result.externalJobId, ...(result.backend ? { backend: result.backend } : {}) },
        });
        await db.update(loraVersions).set({ status: 'training', updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
        return;
      }
      case 'retry': {
        const wait = dispatchBackoffSeconds(job.dispatchAttempts);
        await db.update(loraJobs).set({ nextDispatchAt: new Date(now.getTime() + wait * 1000), stage: 'queued', updatedAt: now }).where(eq(loraJobs.id, job.id));
        ctx.log.warn({ jobId: job.id, attempts: job.dispatchAttempts, retryInSeconds: wait, reason: result.message }, 'dispatch failed; will retry');
        return;
      }
      case 'rejected': {
        // The provider saw the job and refused it: record that it was handed over, then failed.
        const dispatched = await transitionJob(db, job, { to: 'dispatched', now, detail: { provider: job.provider } });
        await failJob(db, dispatched, { code: result.code, message: result.message }, { now });
        return;
      }
      case 'unbuildable':
        await failUnbuildableJob({ ...ctx, db, inTransaction: true, workspaceId: job.workspaceId }, job, result.failure, { now, detail: { provider: job.provider } });
        return;
    }
  });
  if (cancelAfter) await PROVIDER_ADAPTERS[claimed.job.provider].cancel(ctx, claimed).catch(() => undefined);
}

/** Dispatch one job if it is queued and due. Never throws for provider trouble. */
export async function dispatchJob(ctx: ServiceContext, jobId: string, now: Date = new Date()): Promise<void> {
  const jv = await getJobForSystem(ctx.db, jobId);
  if (!jv || jv.job.status !== 'queued' || jv.job.provider === 'worker_pool') return;
  const claimed = await claim(ctx, jobId, now);
  if (!claimed) return;
  let result: DispatchResult;
  try {
    result = await PROVIDER_ADAPTERS[claimed.job.provider].dispatch(ctx, claimed);
  } catch (err) {
    ctx.log.error({ err, jobId }, 'provider dispatch threw');
    result = { kind: 'retry', message: (err as Error).message };
  }
  await apply(ctx, claimed, result, now);
}

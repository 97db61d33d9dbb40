// POST /api/lora/jobs/:id/retry — a failed or canceled job runs again as a new attempt of
// the same job and version (the state machine's `retry` edge), with a fresh attempt budget
// and deadline. Quota: a retry counts as a new training run this month, EXCEPT when the
// failure was on our side of the line (lost worker, shutdown, upload or checksum trouble):
// people should not pay for our infrastructure. The retry trains on the dataset snapshot the
// run was validated and consented for (jobs/snapshot.ts), or is refused with 412: a dataset
// changed since then needs a new training run, with its own checks and consent.
import { recordAudit } from '@/server/audit/record';
import { loraVersions } from '@/server/db/schema/index.ts';
import type { DbOrTx } from '@/server/db';
import { ConflictError, PreconditionFailedError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { assertWithinLimit } from '@/server/plans/limits';
import { dispatchJob } from '@/server/providers/dispatch';
import { eq } from 'drizzle-orm';
import { JOB_CONFIG } from './config.ts';
import { checkDatasetReady } from './create-checks.ts';
import { getJobOrThrow, toJobDetail, type JobWithVersion } from './internal.ts';
import type { JobDetail } from './schemas.ts';
import { DatasetSnapshotError, loadPinnedSnapshot } from './snapshot.ts';
import { requeueJob } from './transition.ts';

export const FREE_RETRY_CODES: ReadonlySet<string> = new Set(['lease_expired', 'worker_shutdown', 'upload_failed', 'artifact_checksum_mismatch', 'dispatch_rejected', 'spec_build_failed']);

async function assertPinnedSnapshotUsable(db: DbOrTx, { job, version }: JobWithVersion): Promise<void> {
  try {
    const { dataset } = await loadPinnedSnapshot(db, version);
    // Same content, but no longer ready (or since validated as block): refused like a new run.
    checkDatasetReady(dataset);
  } catch (err) {
    if (!(err instanceof DatasetSnapshotError)) throw err;
    throw new PreconditionFailedError(err.message, { ...err.details, job_id: job.id, reason: err.code });
  }
}

export async function retryJob({ ctx, id, now = new Date() }: { ctx: ServiceContext; id: string; now?: Date }): Promise<JobDetail> {
  const ws = requireWorkspace(ctx);
  await withTransaction(ctx, async (tx) => {
    const jv = await getJobOrThrow(tx.db, ws, id, { forUpdate: true });
    const { job } = jv;
    if (job.status !== 'failed' && job.status !== 'canceled') {
      throw new ConflictError(`Only failed or canceled jobs can be retried; job ${id} is ${job.status}.`, { status: job.status });
    }
    await assertPinnedSnapshotUsable(tx.db, jv);
    const counts = !(job.status === 'failed' && job.error && FREE_RETRY_CODES.has(job.error.code));
    if (counts) await assertWithinLimit(tx, 'training_jobs_per_month', now);
    const next = job.attempt + 1;
    await requeueJob(tx.db, job, 'retry', {
      now,
      patch: { maxAttempts: next + JOB_CONFIG.maxAttempts - 1, deadlineAt: new Date(now.getTime() + JOB_CONFIG.deadlineHours * 3600_000), error: null, startedAt: null, gpuSeconds: null },
      detail: { requested_by: ctx.actor.type },
    });
    await tx.db.update(loraVersions).set({ status: 'pending', failureReason: null, updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
    await recordAudit(tx, { action: 'job.retry', targetType: 'lora_job', targetId: id, metadata: { from: job.status, attempt: next, counts_against_quota: counts, error_code: job.error?.code ?? null } });
  });
  await dispatchJob(ctx, id, now).catch((err: unknown) => ctx.log.warn({ err, jobId: id }, 'dispatch deferred to the scheduler'));
  return toJobDetail(ctx.db, await getJobOrThrow(ctx.db, ws, id));
}

// A queued job whose spec cannot be built (its pinned dataset snapshot is gone or changed, a
// record it needs is missing) fails on its own, with a stable code, and nothing else stops:
// the lease goes on to the next job, the push dispatch loop to the next push (issue #11).
import { recordAudit } from '@/server/audit/record';
import type { LoraJob } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { failJob } from './outcomes.ts';
import { DatasetSnapshotError } from './snapshot.ts';
import { transitionJob } from './transition.ts';

export type SpecFailureCode = 'dataset_changed' | 'dataset_unavailable' | 'spec_build_failed';

export interface SpecFailure {
  code: SpecFailureCode;
  message: string;
}

/** The job's failure for what building its spec threw; an unexpected cause goes to the log only. */
export function specFailureOf(ctx: ServiceContext, jobId: string, err: unknown): SpecFailure {
  if (err instanceof DatasetSnapshotError) return { code: err.code, message: err.message };
  ctx.log.error({ err, jobId }, 'building the job spec threw');
  return {
    code: 'spec_build_failed',
    message: 'The control plane could not prepare this training run (a record it needs is missing or unreadable). Retry it; if it fails again, start a new training run.',
  };
}

/**
 * Fail a queued job (row-locked by the caller, inside the caller's transaction `ctx.db`) that
 * could not be handed out: queued → dispatched → failed, as for a provider's refusal (the state
 * machine has no queued → failed edge), the version failed too, and an audit row.
 */
export async function failUnbuildableJob(ctx: ServiceContext, job: LoraJob, failure: SpecFailure, opts: { now: Date; detail?: Record<string, unknown> }): Promise<LoraJob> {
  const handed = await transitionJob(ctx.db, job, { to: 'dispatched', now: opts.now, detail: { ...opts.detail, spec_build_failed: failure.code } });
  const failed = await failJob(ctx.db, handed, failure, { now: opts.now });
  await recordAudit(ctx, {
    action: 'job.fail',
    targetType: 'lora_job',
    targetId: job.id,
    workspaceId: job.workspaceId,
    metadata: { code: failure.code, message: failure.message, attempt: job.attempt, provider: job.provider, version_id: job.loraVersionId },
  });
  ctx.log.warn({ jobId: job.id, attempt: job.attempt, code: failure.code }, 'job failed: its spec could not be built');
  return failed;
}

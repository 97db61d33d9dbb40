// POST /api/lora/jobs/:id/cancel. A queued job ends `canceled` at once (nothing runs yet);
// a dispatched or running one becomes `cancel_requested` and its provider is told — the
// worker confirms with job.canceled (or finishes first; success still wins then). Asking
// again while the cancel is pending is harmless; a finished job cannot be canceled (409).
import { isTerminal } from '@lora-studio/protocol';
import { recordAudit } from '@/server/audit/record';
import { ConflictError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { PROVIDER_ADAPTERS } from '@/server/providers/index';
import { getJobOrThrow, toJobDetail } from './internal.ts';
import { cancelJobNow } from './outcomes.ts';
import type { JobDetail } from './schemas.ts';
import { transitionJob } from './transition.ts';

export async function cancelJob({ ctx, id, now = new Date() }: { ctx: ServiceContext; id: string; now?: Date }): Promise<JobDetail> {
  const ws = requireWorkspace(ctx);
  const tellProvider = await withTransaction(ctx, async (tx) => {
    const { job } = await getJobOrThrow(tx.db, ws, id, { forUpdate: true });
    if (isTerminal(job.status)) throw new ConflictError(`Job ${id} already ${job.status}; there is nothing to cancel.`, { status: job.status });
    if (job.status === 'cancel_requested') return false;
    if (job.status === 'queued') {
      await cancelJobNow(tx.db, job, 'Canceled before it started.', { now });
    } else {
      await transitionJob(tx.db, job, { to: 'cancel_requested', now, detail: { requested_by: ctx.actor.type } });
    }
    await recordAudit(tx, { action: 'job.cancel', targetType: 'lora_job', targetId: id, metadata: { from: job.status } });
    return job.status !== 'queued';
  });
  const jv = await getJobOrThrow(ctx.db, ws, id);
  if (tellProvider) {
    await PROVIDER_ADAPTERS[jv.job.provider].cancel(ctx, jv).catch((err: unknown) => ctx.log.warn({ err, jobId: id }, 'provider cancel failed; the scheduler/heartbeat will still stop it'));
  }
  return toJobDetail(ctx.db, jv);
}

// POST /api/workers/heartbeat: extends the lease of the job attempt this worker holds, and
// tells it to stop when the user canceled. A heartbeat for an attempt the worker no longer
// holds (expired and re-queued, finished, another worker's) gets no lease back
// (`lease_expires_at: null`), which tells the worker to stop.
import type { HeartbeatRequest, HeartbeatResponse } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { loraJobs, workerTokens } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG as C } from '@/server/jobs/config';
import { getJobForSystem } from '@/server/jobs/internal';
import { leaseOwnerFor } from './lease.ts';

const LIVE = new Set(['dispatched', 'running', 'cancel_requested']);

export async function heartbeatJob({ ctx, tokenId, input, now = new Date() }: { ctx: ServiceContext; tokenId: string; input: HeartbeatRequest; now?: Date }): Promise<HeartbeatResponse> {
  return ctx.db.transaction(async (db) => {
    await db.update(workerTokens).set({ lastSeenAt: now }).where(eq(workerTokens.id, tokenId));
    const jv = await getJobForSystem(db, input.job_id, { forUpdate: true });
    const job = jv?.job;
    const holds =
      job &&
      LIVE.has(job.status) &&
      job.attempt === input.attempt &&
      job.leaseOwner === leaseOwnerFor(tokenId, input.worker_id);
    // A late beat after expiry but before the reaper ran still counts: both take the row
    // lock, so whichever comes first decides, and a live worker is not thrown away for a hiccup.
    if (!job || !holds) {
      ctx.log.info({ jobId: input.job_id, attempt: input.attempt, workerId: input.worker_id }, 'heartbeat for a lease the worker does not hold');
      return { cancel: job?.status === 'cancel_requested' || job?.status === 'canceled', lease_expires_at: null };
    }
    const expiresAt = new Date(now.getTime() + C.leaseSeconds * 1000);
    await db.update(loraJobs).set({ leaseExpiresAt: expiresAt, updatedAt: now }).where(eq(loraJobs.id, job.id));
    return { cancel: job.status === 'cancel_requested', lease_expires_at: expiresAt.toISOString() };
  });
}

// POST /api/workers/lease: the oldest queued job this worker can run, taken with
// FOR UPDATE SKIP LOCKED so two workers (on any number of app replicas) never get the same
// one; it becomes `dispatched` with a lease that heartbeats must extend.
import type { LeaseRequest, LeaseResponse } from '@lora-studio/protocol';
import { asc, eq } from 'drizzle-orm';
import { baseModels, loraDatasets, loraJobs, loraVersions, workerTokens } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG as C } from '@/server/jobs/config';
import { buildJobSpec } from '@/server/jobs/spec';
import { transitionJob } from '@/server/jobs/transition';
import { jobAttemptSecret } from '@/server/webhooks/secrets';
import { chooseBackend, leasableWhere } from './match.ts';

export const leaseOwnerFor = (tokenId: string, workerId: string) => `${tokenId}/${workerId}`;

export async function leaseJob({ ctx, tokenId, input, now = new Date() }: { ctx: ServiceContext; tokenId: string; input: LeaseRequest; now?: Date }): Promise<LeaseResponse | null> {
  const caps = input.capabilities;
  const leased = await ctx.db.transaction(async (db) => {
    await db.update(workerTokens).set({ lastSeenAt: now, capabilities: { ...caps, worker_id: input.worker_id } }).where(eq(workerTokens.id, tokenId));
    const [pick] = await db
      .select({ job: loraJobs, version: loraVersions, base: baseModels })
      .from(loraJobs)
      .innerJoin(loraVersions, eq(loraVersions.id, loraJobs.loraVersionId))
      .innerJoin(loraDatasets, eq(loraDatasets.id, loraVersions.datasetId))
      .innerJoin(baseModels, eq(baseModels.id, loraVersions.trainableBaseModel))
      .where(leasableWhere(caps, now))
      .orderBy(asc(loraJobs.createdAt), asc(loraJobs.id))
      .limit(1)
      .for('update', { of: loraJobs, skipLocked: true });
    if (!pick) return null;
    const backend = chooseBackend(caps, pick.base);
    if (!backend) return null; // unreachable given leasableWhere; never hand out a job it cannot run
    const expiresAt = new Date(now.getTime() + C.leaseSeconds * 1000);
    const built = await buildJobSpec(db, { job: pick.job, version: pick.version }, { backend, lease: { expiresAt }, now });
    const job = await transitionJob(db, pick.job, {
      to: 'dispatched',
      now,
      patch: {
        leaseOwner: leaseOwnerFor(tokenId, input.worker_id),
        leaseExpiresAt: expiresAt,
        backend,
        nextDispatchAt: null,
        dispatchAttempts: pick.job.dispatchAttempts + 1,
        logsKey: built.keys.logs,
        specJson: { outputs: built.keys, family: built.family, backend, worker_id: input.worker_id },
      },
      detail: { worker_id: input.worker_id, backend },
    });
    await db.update(loraVersions).set({ status: 'training', updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
    return { spec: built.spec, job };
  });
  if (!leased) return null;
  ctx.log.info({ jobId: leased.job.id, attempt: leased.job.attempt, workerId: input.worker_id }, 'job leased');
  return {
    spec: leased.spec,
    signing_secret: jobAttemptSecret(leased.job.id, leased.job.attempt),
    lease_expires_at: leased.job.leaseExpiresAt!.toISOString(),
  };
}

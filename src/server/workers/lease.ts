// POST /api/workers/lease: the oldest queued job this worker can run, taken with
// FOR UPDATE SKIP LOCKED so two workers (on any number of app replicas) never get the same
// one; it becomes `dispatched` with a lease that heartbeats must extend. A job whose spec
// cannot be built (its pinned dataset snapshot changed or is gone) is failed on its own and
// the lease goes on to the next job: one tenant's broken job never answers 500 to every worker.
import type { JobSpec, LeaseRequest, LeaseResponse } from '@lora-studio/protocol';
import { asc, eq } from 'drizzle-orm';
import { baseModels, loraDatasets, loraJobs, loraVersions, workerTokens, type LoraJob } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG as C } from '@/server/jobs/config';
import { buildJobSpec, type BuiltSpec } from '@/server/jobs/spec';
import { failUnbuildableJob, specFailureOf } from '@/server/jobs/spec-failure';
import { transitionJob } from '@/server/jobs/transition';
import { jobAttemptSecret } from '@/server/webhooks/secrets';
import { chooseBackend, leasableWhere } from './match.ts';

export const leaseOwnerFor = (tokenId: string, workerId: string) => `${tokenId}/${workerId}`;

type LeaseStep = { kind: 'none' } | { kind: 'failed' } | { kind: 'leased'; spec: JobSpec; job: LoraJob };

export async function leaseJob({ ctx, tokenId, input, now = new Date() }: { ctx: ServiceContext; tokenId: string; input: LeaseRequest; now?: Date }): Promise<LeaseResponse | null> {
  const caps = input.capabilities;
  await ctx.db.update(workerTokens).set({ lastSeenAt: now, capabilities: { ...caps, worker_id: input.worker_id } }).where(eq(workerTokens.id, tokenId));
  for (let step = 0; step < C.leaseMaxPicks; step++) {
    const taken = await leaseStep(ctx, tokenId, input, now);
    if (taken.kind === 'none') return null;
    if (taken.kind === 'failed') continue;
    ctx.log.info({ jobId: taken.job.id, attempt: taken.job.attempt, workerId: input.worker_id }, 'job leased');
    return {
      spec: taken.spec,
      signing_secret: jobAttemptSecret(taken.job.id, taken.job.attempt),
      lease_expires_at: taken.job.leaseExpiresAt!.toISOString(),
    };
  }
  return null;
}

/** One transaction: take the oldest leasable job, then hand it out or fail it (its own commit). */
async function leaseStep(ctx: ServiceContext, tokenId: string, input: LeaseRequest, now: Date): Promise<LeaseStep> {
  const caps = input.capabilities;
  return ctx.db.transaction(async (db): Promise<LeaseStep> => {
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
    if (!pick) return { kind: 'none' };
    const backend = chooseBackend(caps, pick.base);
    if (!backend) return { kind: 'none' }; // unreachable given leasableWhere; never hand out a job it cannot run
    const expiresAt = new Date(now.getTime() + C.leaseSeconds * 1000);
    let built: BuiltSpec;
    try {
      // In a savepoint: a statement that fails while building must not abort this transaction.
      built = await db.transaction((sp) => buildJobSpec(sp, { job: pick.job, version: pick.version }, { backend, lease: { expiresAt }, now }));
    } catch (err) {
      const jctx = { ...ctx, db, inTransaction: true, workspaceId: pick.job.workspaceId };
      await failUnbuildableJob(jctx, pick.job, specFailureOf(ctx, pick.job.id, err), { now, detail: { worker_id: input.worker_id, backend } });
      return { kind: 'failed' };
    }
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
        specJson: { outputs: built.keys, family: built.family, backend, worker_id: input.worker_id, gpu: caps.gpu?.name ?? null },
      },
      detail: { worker_id: input.worker_id, backend },
    });
    await db.update(loraVersions).set({ status: 'training', updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
    return { kind: 'leased', spec: built.spec, job };
  });
}

// Providers that can be asked (Replicate) are polled for jobs we have not heard about for a
// while — a lost webhook must not leave a job "running" forever. Each job is claimed by
// bumping updated_at under SKIP LOCKED, so replicas do not poll the same job at once.
import { and, inArray, isNotNull, lt, ne } from 'drizzle-orm';
import { loraJobs } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { JOB_CONFIG as C } from '@/server/jobs/config';
import { getJobForSystem } from '@/server/jobs/internal';
import { applyProviderState } from '@/server/providers/apply-state';
import { PROVIDER_ADAPTERS, type ProviderId } from '@/server/providers/index';
import { completeReplicateTraining } from '@/server/providers/replicate/complete';
import type { ReplicateTraining } from '@/server/providers/replicate/client';

const POLLABLE = (Object.keys(PROVIDER_ADAPTERS) as ProviderId[]).filter((id) => PROVIDER_ADAPTERS[id].poll);

async function claim(ctx: ServiceContext, now: Date, max: number): Promise<string[]> {
  if (POLLABLE.length === 0) return [];
  return ctx.db.transaction(async (db) => {
    const rows = await db
      .select({ id: loraJobs.id })
      .from(loraJobs)
      .where(
        and(
          inArray(loraJobs.provider, POLLABLE),
          inArray(loraJobs.status, ['dispatched', 'running', 'cancel_requested']),
          isNotNull(loraJobs.externalJobId),
          ne(loraJobs.stage, 'verifying'),
          lt(loraJobs.updatedAt, new Date(now.getTime() - C.pollAfterSeconds * 1000)),
        ),
      )
      .limit(max)
      .for('update', { skipLocked: true });
    if (rows.length > 0) await db.update(loraJobs).set({ updatedAt: now }).where(inArray(loraJobs.id, rows.map((r) => r.id)));
    return rows.map((r) => r.id);
  });
}

export async function pollProviders(ctx: ServiceContext, now: Date, max = 20): Promise<number> {
  const ids = await claim(ctx, now, max);
  for (const id of ids) {
    const jv = await getJobForSystem(ctx.db, id);
    const poll = jv && PROVIDER_ADAPTERS[jv.job.provider].poll;
    if (!jv || !poll || !jv.job.externalJobId) continue;
    const state = await poll(ctx, jv).catch(() => null);
    if (!state) continue;
    const applied = await applyProviderState(ctx, { jobId: id, externalJobId: jv.job.externalJobId, state, now });
    if (applied.kind === 'verify' && jv.job.provider === 'replicate') await completeReplicateTraining(ctx, id, state.raw as ReplicateTraining);
  }
  return ids.length;
}

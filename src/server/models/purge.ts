import { eq } from 'drizzle-orm';
import { loraDatasets, loraJobs, loraModels, loraVersions } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { datasetPrefix, jobPrefix, modelPrefix } from '@/server/storage/keys';

/** Delete every object of a deleted model (its datasets, versions and packs) and mark it purged. */
export async function purgeModelObjects(ctx: ServiceContext, p: { workspaceId: string; modelId: string }): Promise<void> {
  const { driver } = getStorage();
  const datasets = await ctx.db.select({ id: loraDatasets.id }).from(loraDatasets).where(eq(loraDatasets.loraModelId, p.modelId));
  for (const d of datasets) await driver.deletePrefix(datasetPrefix(p.workspaceId, d.id));
  // Job outputs (samples rendered from the face, checkpoints, logs) live under the job prefix.
  const jobs = await ctx.db
    .select({ id: loraJobs.id })
    .from(loraJobs)
    .innerJoin(loraVersions, eq(loraVersions.id, loraJobs.loraVersionId))
    .where(eq(loraVersions.loraModelId, p.modelId));
  for (const j of jobs) await driver.deletePrefix(jobPrefix(p.workspaceId, j.id));
  await driver.deletePrefix(modelPrefix(p.workspaceId, p.modelId));
  const now = new Date();
  await ctx.db.update(loraDatasets).set({ purgedAt: now }).where(eq(loraDatasets.loraModelId, p.modelId));
  await ctx.db.update(loraVersions).set({ purgedAt: now }).where(eq(loraVersions.loraModelId, p.modelId));
  await ctx.db.update(loraModels).set({ purgedAt: now }).where(eq(loraModels.id, p.modelId));
}

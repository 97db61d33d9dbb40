// Deferred purges: a model, dataset or version deleted while storage was down still has its
// photos and artifacts; finish them here (the delete left deleted_at set, purged_at null).
import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { loraDatasets, loraModels } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { purgeModelObjects } from '@/server/models/purge';
import { getStorage } from '@/server/storage';
import { datasetPrefix } from '@/server/storage/keys';
import { finishDeferredVersionPurges } from '@/server/versions/purge';

async function finishDatasetPurges(ctx: ServiceContext, max: number): Promise<number> {
  const rows = await ctx.db
    .select({ id: loraDatasets.id, workspaceId: loraDatasets.workspaceId })
    .from(loraDatasets)
    .where(and(isNotNull(loraDatasets.deletedAt), isNull(loraDatasets.purgedAt)))
    .limit(max);
  let n = 0;
  for (const d of rows) {
    try {
      await getStorage().driver.deletePrefix(datasetPrefix(d.workspaceId, d.id));
      await ctx.db.update(loraDatasets).set({ purgedAt: new Date() }).where(eq(loraDatasets.id, d.id));
      n++;
    } catch (err) {
      ctx.log.warn({ err, datasetId: d.id }, 'dataset purge still failing; will retry');
    }
  }
  return n;
}

export async function finishDeferredPurges(ctx: ServiceContext, max = 20): Promise<number> {
  const rows = await ctx.db
    .select({ id: loraModels.id, workspaceId: loraModels.workspaceId })
    .from(loraModels)
    .where(and(isNotNull(loraModels.deletedAt), isNull(loraModels.purgedAt)))
    .limit(max);
  let n = 0;
  for (const m of rows) {
    // Deleting objects is idempotent, so two replicas purging the same model is harmless.
    await purgeModelObjects(ctx, { workspaceId: m.workspaceId, modelId: m.id }).then(
      () => n++,
      (err: unknown) => ctx.log.warn({ err, modelId: m.id }, 'purge still failing; will retry'),
    );
  }
  return n + (await finishDatasetPurges(ctx, max)) + (await finishDeferredVersionPurges(ctx, max));
}

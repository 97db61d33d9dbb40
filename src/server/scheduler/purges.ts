// Deferred purges: a model deleted while storage was down still has its photos and
// artifacts; finish them here (models/delete.ts leaves deleted_at set, purged_at null).
import { and, isNotNull, isNull } from 'drizzle-orm';
import { loraModels } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { purgeModelObjects } from '@/server/models/purge';

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
  return n;
}

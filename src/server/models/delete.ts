import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasets, loraModels, loraVersions, userIdentityActive } from '@/server/db/schema/index.ts';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { purgeModelObjects } from './purge.ts';
import { getModelOrThrow } from './internal.ts';

/**
 * Soft-delete a LoRA with its datasets and versions, then purge its objects (face photos
 * are biometric data). The rows go first, in one transaction with the audit row; the purge
 * follows and, if storage is down, the scheduler finishes it (rows with deleted_at set and
 * purged_at null).
 */
export async function deleteModel({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<{ id: string; deleted: true; purged: boolean }> {
  const ws = requireWorkspace(ctx);
  await withTransaction(ctx, async (tx) => {
    await getModelOrThrow(tx.db, ws, id, { forUpdate: true });
    const now = new Date();
    await tx.db.update(loraModels).set({ deletedAt: now, updatedAt: now }).where(eq(loraModels.id, id));
    await tx.db.update(loraDatasets).set({ deletedAt: now }).where(and(eq(loraDatasets.loraModelId, id), isNull(loraDatasets.deletedAt)));
    await tx.db.update(loraVersions).set({ deletedAt: now }).where(and(eq(loraVersions.loraModelId, id), isNull(loraVersions.deletedAt)));
    await tx.db.delete(userIdentityActive).where(eq(userIdentityActive.loraModelId, id));
    await recordAudit(tx, { action: 'model.delete', targetType: 'lora_model', targetId: id });
  });
  const purged = await purgeModelObjects(ctx, { workspaceId: ws, modelId: id }).then(
    () => true,
    (err: unknown) => {
      ctx.log.warn({ err, modelId: id }, 'purge deferred to the scheduler');
      return false;
    },
  );
  return { id, deleted: true, purged };
}

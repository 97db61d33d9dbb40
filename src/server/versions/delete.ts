import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraVersions, userIdentityActive } from '@/server/db/schema/index.ts';
import { ConflictError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getVersionOrThrow } from './internal.ts';
import { purgeVersionObjects } from './purge.ts';

/**
 * Soft-delete a version and purge its objects. A version still training is refused (cancel
 * its job first), so a worker never uploads into a purged prefix. Whoever had it active
 * loses the active identity in the same transaction: a compile never points at deleted weights.
 */
export async function deleteVersion({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<{ id: string; deleted: true; purged: boolean; deactivated: boolean }> {
  const ws = requireWorkspace(ctx);
  const { modelId, deactivated } = await withTransaction(ctx, async (tx) => {
    const { version: v } = await getVersionOrThrow(tx.db, ws, id, { forUpdate: true });
    if (v.status === 'pending' || v.status === 'training') {
      throw new ConflictError(`Version ${v.number} is ${v.status}; cancel its training job before deleting it.`, { status: v.status });
    }
    const now = new Date();
    await tx.db.update(loraVersions).set({ deletedAt: now, updatedAt: now }).where(eq(loraVersions.id, id));
    const gone = await tx.db.delete(userIdentityActive).where(eq(userIdentityActive.loraVersionId, id)).returning({ userId: userIdentityActive.userId });
    await recordAudit(tx, { action: 'version.delete', targetType: 'lora_version', targetId: id, metadata: { model_id: v.loraModelId, number: v.number, deactivated_users: gone.length } });
    return { modelId: v.loraModelId, deactivated: gone.length > 0 };
  });
  const purged = await purgeVersionObjects(ctx, { workspaceId: ws, modelId, versionId: id }).then(
    () => true,
    (err: unknown) => {
      ctx.log.warn({ err, versionId: id }, 'version purge deferred to the scheduler');
      return false;
    },
  );
  return { id, deleted: true, purged, deactivated };
}

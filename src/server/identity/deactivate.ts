import { and, eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { userIdentityActive } from '@/server/db/schema/index.ts';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';

/** Clear the caller's active identity. Idempotent: nothing active is not an error. */
export async function deactivateIdentity({ ctx }: { ctx: ServiceContext }): Promise<{ active: null; deactivated: boolean }> {
  const ws = requireWorkspace(ctx);
  const userId = actorUserId(ctx);
  if (!userId) return { active: null, deactivated: false };
  return withTransaction(ctx, async (tx) => {
    const gone = await tx.db
      .delete(userIdentityActive)
      .where(and(eq(userIdentityActive.userId, userId), eq(userIdentityActive.workspaceId, ws)))
      .returning({ versionId: userIdentityActive.loraVersionId });
    if (gone[0]) await recordAudit(tx, { action: 'version.deactivate', targetType: 'lora_version', targetId: gone[0].versionId });
    return { active: null, deactivated: gone.length > 0 };
  });
}

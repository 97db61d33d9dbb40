import { and, eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { apikey } from '@/server/db/schema/index.ts';
import { NotFoundError } from '@/server/errors';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { apiKeyWorkspaceOf } from './list.ts';

export async function revokeApiKey({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<{ id: string; revoked: true }> {
  const ws = requireWorkspace(ctx);
  const userId = actorUserId(ctx);
  return withTransaction(ctx, async (tx) => {
    const [row] = await tx.db.select().from(apikey).where(and(eq(apikey.id, id), eq(apikey.referenceId, userId ?? '')));
    // Another user's or another workspace's key answers 404, like anything else not yours.
    if (!row || apiKeyWorkspaceOf(row.metadata) !== ws) throw new NotFoundError('API key', id);
    await tx.db.delete(apikey).where(eq(apikey.id, id));
    await recordAudit(tx, { action: 'api_key.revoke', targetType: 'api_key', targetId: id });
    return { id, revoked: true as const };
  });
}

import type { ServiceContext } from '@/server/http/context';
import { auditLog } from '@/server/db/schema/index.ts';
import { newId } from '@/server/ids';

function actorId(ctx: ServiceContext): string | null {
  switch (ctx.actor.type) {
    case 'user':
      return ctx.actor.userId;
    case 'apiKey':
      return ctx.actor.keyId;
    case 'worker':
      return ctx.actor.workerTokenId ?? ctx.actor.workerId;
    case 'system':
      return null;
    case 'webhook':
      return ctx.actor.source;
  }
}

/**
 * Write an audit row with ctx.db — call it inside the same transaction as the change it
 * records (STYLE.md §6), so a failed audit write rolls the change back.
 */
export async function recordAudit(
  ctx: ServiceContext,
  entry: { action: `${string}.${string}`; targetType?: string; targetId?: string; metadata?: Record<string, unknown>; workspaceId?: string | null },
): Promise<void> {
  await ctx.db.insert(auditLog).values({
    id: newId('audit'),
    workspaceId: entry.workspaceId === undefined ? ctx.workspaceId : entry.workspaceId,
    actorType: ctx.actor.type,
    actorId: actorId(ctx),
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    ip: ctx.ip,
    userAgent: ctx.userAgent,
    requestId: ctx.requestId,
    metadata: entry.metadata ?? {},
  });
}

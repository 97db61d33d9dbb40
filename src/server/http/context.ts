// The one ServiceContext (STYLE.md §3): who acts, in which workspace, with which db/tx.
import type { DbOrTx } from '@/server/db';
import type { Logger } from './logger.ts';

export type Actor =
  | { type: 'user'; userId: string; email: string; name: string }
  | { type: 'apiKey'; keyId: string; userId: string }
  | { type: 'worker'; workerTokenId: string | null; workerId: string }
  | { type: 'system'; reason: string }
  | { type: 'webhook'; source: 'worker' | 'replicate' };

export interface ServiceContext {
  requestId: string;
  /** Every query is scoped to this workspace in the service layer. Null only for system/worker actors. */
  workspaceId: string | null;
  actor: Actor;
  db: DbOrTx;
  inTransaction: boolean;
  ip: string | null;
  userAgent: string | null;
  log: Logger;
}

/** The acting user's id, if a person (directly or through their API key) is acting. */
export function actorUserId(ctx: ServiceContext): string | null {
  if (ctx.actor.type === 'user' || ctx.actor.type === 'apiKey') return ctx.actor.userId;
  return null;
}

/** The workspace a user-facing service works in; throws if the context has none. */
export function requireWorkspace(ctx: ServiceContext): string {
  if (!ctx.workspaceId) throw new Error(`ServiceContext for ${ctx.actor.type} has no workspace`);
  return ctx.workspaceId;
}

/**
 * Run `fn` in a transaction. An outer transaction is reused, so services compose and tests
 * can wrap a whole scenario.
 */
export async function withTransaction<T>(ctx: ServiceContext, fn: (tx: ServiceContext) => Promise<T>): Promise<T> {
  if (ctx.inTransaction) return fn(ctx);
  return ctx.db.transaction((tx) => fn({ ...ctx, db: tx, inTransaction: true }));
}

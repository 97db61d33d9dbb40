// Worker tokens: created by an operator (scripts/create-worker-token.ts), shown once, stored
// as sha256 only. A worker presents it as `Authorization: Bearer <token>`.
import { randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { workerTokens } from '@/server/db/schema/index.ts';
import { hashWorkerToken } from '@/server/boot/local-worker-token';
import { newId } from '@/server/ids';

export const WORKER_TOKEN_PREFIX = 'lsw_';

export async function createWorkerToken(db: DbOrTx, p: { name: string; createdBy?: string }): Promise<{ id: string; token: string }> {
  const token = `${WORKER_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  const id = newId('workerToken');
  await db.insert(workerTokens).values({ id, name: p.name.slice(0, 200), tokenHash: hashWorkerToken(token), createdBy: p.createdBy ?? 'operator' });
  return { id, token };
}

export async function revokeWorkerToken(db: DbOrTx, id: string): Promise<boolean> {
  const rows = await db.update(workerTokens).set({ revokedAt: new Date() }).where(and(eq(workerTokens.id, id), isNull(workerTokens.revokedAt))).returning({ id: workerTokens.id });
  return rows.length > 0;
}

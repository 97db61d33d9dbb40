import type { Db } from '@/server/db';
import { workerTokens } from '@/server/db/schema/index.ts';
import { hashWorkerToken } from '@/server/db/token-hash';

// workers/tokens.ts takes the hash from here (its import edge to boot/ predates db/token-hash.ts).
export { hashWorkerToken };

/** Registers the token of the worker `npm start` runs beside the app (stored hashed). */
export async function ensureLocalWorkerToken(db: Db, token: string): Promise<void> {
  await db
    .insert(workerTokens)
    .values({ id: 'wkt_local', name: 'local worker (npm start)', tokenHash: hashWorkerToken(token), createdBy: 'system' })
    .onConflictDoUpdate({ target: workerTokens.id, set: { tokenHash: hashWorkerToken(token), revokedAt: null } });
}

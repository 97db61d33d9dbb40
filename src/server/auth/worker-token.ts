// A worker's credential: `Authorization: Bearer <worker token>` (tokens are created by an
// operator, stored as sha256 only; workers/tokens.ts). Checked by the route wrapper for
// `auth: 'worker'` routes, so it lives with the other caller checks.
import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { workerTokens } from '@/server/db/schema/index.ts';
import { hashWorkerToken } from '@/server/db/token-hash';
import { UnauthorizedError } from '@/server/errors';

/** The token row for a Bearer header, or 401. The hash lookup is an index probe, not a compare loop. */
export async function authenticateWorker(db: DbOrTx, headers: Headers): Promise<{ id: string; name: string }> {
  const auth = headers.get('authorization') ?? '';
  const token = auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : '';
  if (!token) throw new UnauthorizedError('Send the worker token as "Authorization: Bearer <token>".');
  const [row] = await db
    .select({ id: workerTokens.id, name: workerTokens.name })
    .from(workerTokens)
    .where(and(eq(workerTokens.tokenHash, hashWorkerToken(token)), isNull(workerTokens.revokedAt)));
  if (!row) throw new UnauthorizedError('The worker token is unknown or revoked.');
  return row;
}

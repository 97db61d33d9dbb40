// Who is calling: a browser session (cookie) or an integrator's API key. Both resolve to a
// user and a workspace they are a member of; anything else is 401/403.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { member } from '@/server/db/schema/index.ts';
import { ForbiddenError, UnauthorizedError } from '@/server/errors';
import type { Actor } from '@/server/http/context';
import { findPersonalWorkspace } from '@/server/workspaces/personal';
import { API_KEY_PREFIX, getAuth } from './auth.ts';

export interface Caller {
  actor: Extract<Actor, { type: 'user' } | { type: 'apiKey' }>;
  workspaceId: string;
  viaCookie: boolean;
}

export function apiKeyFromHeaders(headers: Headers): string | null {
  const direct = headers.get('x-api-key');
  if (direct) return direct.trim();
  const auth = headers.get('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) {
    const token = auth.slice(7).trim();
    if (token.startsWith(API_KEY_PREFIX)) return token;
  }
  return null;
}

export async function isMember(db: DbOrTx, workspaceId: string, userId: string): Promise<boolean> {
  const rows = await db
    .select({ id: member.id })
    .from(member)
    .where(and(eq(member.organizationId, workspaceId), eq(member.userId, userId)))
    .limit(1);
  return rows.length > 0;
}

async function pickWorkspace(db: DbOrTx, userId: string, requested: string | null, fallback: string | null): Promise<string> {
  const wanted = requested ?? fallback ?? (await findPersonalWorkspace(db, userId));
  if (!wanted) throw new ForbiddenError('This account has no workspace.');
  // Another workspace's id answers 403 here (not 404): the caller named it explicitly.
  if (!(await isMember(db, wanted, userId))) throw new ForbiddenError('You are not a member of that workspace.');
  return wanted;
}

/** Resolve the caller or return null when the request carries no credentials at all. */
export async function resolveCaller(db: DbOrTx, request: Request): Promise<Caller | null> {
  const auth = await getAuth();
  const requestedWs = request.headers.get('x-workspace-id');
  const key = apiKeyFromHeaders(request.headers);
  if (key) {
    const result = await auth.api.verifyApiKey({ body: { key } });
    if (!result.valid || !result.key) throw new UnauthorizedError('The API key is invalid, expired or disabled.');
    const userId = result.key.referenceId;
    const meta = (result.key.metadata ?? {}) as { workspaceId?: string };
    const workspaceId = await pickWorkspace(db, userId, requestedWs, meta.workspaceId ?? null);
    return { actor: { type: 'apiKey', keyId: result.key.id, userId }, workspaceId, viaCookie: false };
  }
  const session = await auth.api.getSession({ headers: request.headers });
  if (!session) return null;
  const fallback = (session.session as { activeOrganizationId?: string | null }).activeOrganizationId ?? null;
  const workspaceId = await pickWorkspace(db, session.user.id, requestedWs, fallback);
  return {
    actor: { type: 'user', userId: session.user.id, email: session.user.email, name: session.user.name },
    workspaceId,
    viaCookie: true,
  };
}

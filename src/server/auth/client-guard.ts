// What a client may send to Better Auth's handler (/api/auth/*), checked before the library
// sees the request.
//
// * Closed routes. The library serves more than the app uses. Where the app has its own
//   service — API keys (api-keys/create.ts: audit row, rate limit, workspace binding) and
//   workspaces with their members (one personal workspace per user, workspaces/personal.ts,
//   plan and quota per workspace) — the library's routes would do the same thing past those
//   rules, so they answer 404: /api/auth/api-key/* and /api/auth/organization/*. Services still
//   call `auth.api.*` in-process; only the HTTP routes are closed. /api/auth/update-user is
//   closed too: the app has no profile editing, so it would only be an unvalidated,
//   unaudited way to rewrite a user's name and image URL.
// * Storable text, as for every other route (http/text-input.ts): a NUL or an unpaired
//   surrogate in the query or the JSON body → 422 naming the field.
import { NotFoundError } from '@/server/errors';
import { readBoundedClone } from '@/server/http/bounded-body';
import { queryToObject } from '@/server/http/route';
import { assertStorableInput } from '@/server/http/text-input';

/** No credential, sign-up or session body the app sends comes near this. */
const MAX_AUTH_BODY = 64 * 1024;

const CLOSED = /^\/api\/auth\/(api-key|organization|update-user)(\/|$)/;

/** The path as a router could read it: decoded, lower-case, single slashes, no trailing slash. */
export function canonicalPath(pathname: string): string {
  let p = pathname;
  try {
    p = decodeURIComponent(pathname);
  } catch {
    /* malformed escapes: match the raw path */
  }
  return p.toLowerCase().replace(/\/{2,}/g, '/').replace(/(.)\/$/, '$1');
}

export async function guardAuthRequest(request: Request, method: 'GET' | 'POST'): Promise<void> {
  const url = new URL(request.url);
  if (CLOSED.test(canonicalPath(url.pathname))) throw new NotFoundError('Route', url.pathname);
  assertStorableInput(queryToObject(url), 'Query');
  if (method !== 'POST') return;
  // Every body is read through a bounded clone first: the library would buffer any size.
  const bytes = await readBoundedClone(request, MAX_AUTH_BODY, `A request to /api/auth is at most ${MAX_AUTH_BODY} bytes.`);
  if (!/json/i.test(request.headers.get('content-type') ?? '')) return;
  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    return; // malformed JSON: Better Auth answers it (400) as before
  }
  assertStorableInput(body, 'Request body');
}

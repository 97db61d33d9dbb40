import { toNextJsHandler } from 'better-auth/next-js';
import { errorToResponse } from '@/server/http/errors-response';
import { logger } from '@/server/http/logger';
import { consumeRateLimit, ipSubject } from '@/server/http/rate-limit';
import { clientIp } from '@/server/http/request-info';
import { requestIdFrom } from '@/server/http/route';
import { getAuth } from './auth.ts';
import { canonicalPath, guardAuthRequest } from './client-guard.ts';
import { withAccountLimit } from './sign-in-limit.ts';

// Matched on the canonical path (decoded, lower-case, single slashes), so a spelling the
// library's router may still accept cannot step around the limiters.
const GUARDED = /^\/api\/auth\/(sign-in|sign-up|forget-password|request-password-reset|reset-password|change-password|verify-password)(\/|$)/;
const SIGN_IN = /^\/api\/auth\/sign-in\//;

/**
 * Better Auth's handler behind our limiters on the credential endpoints: per client address
 * (clientIp: the socket, or a trusted proxy's entry) on all of them, and per account on sign-in.
 */
export async function handleAuthRequest(request: Request, method: 'GET' | 'POST'): Promise<Response> {
  const requestId = requestIdFrom(request);
  try {
    // Closed library routes (404) and unstorable text (422) first: client-guard.ts.
    await guardAuthRequest(request, method);
    const path = canonicalPath(new URL(request.url).pathname);
    if (method === 'POST' && GUARDED.test(path)) await consumeRateLimit('auth', [ipSubject(clientIp(request))]);
    const handlers = toNextJsHandler(await getAuth());
    if (method === 'POST' && SIGN_IN.test(path)) return await withAccountLimit(request, () => handlers.POST(request));
    return await handlers[method](request);
  } catch (err) {
    return errorToResponse(err, requestId, logger());
  }
}

import { toNextJsHandler } from 'better-auth/next-js';
import { errorToResponse } from '@/server/http/errors-response';
import { logger } from '@/server/http/logger';
import { consumeRateLimit } from '@/server/http/rate-limit';
import { clientIp } from '@/server/http/request-info';
import { requestIdFrom } from '@/server/http/route';
import { getAuth } from './auth.ts';
import { guardAuthRequest } from './client-guard.ts';

const GUARDED = /\/api\/auth\/(sign-in|sign-up|forget-password|reset-password|change-password)/;

/** Better Auth's handler behind our per-IP limiter on the credential endpoints. */
export async function handleAuthRequest(request: Request, method: 'GET' | 'POST'): Promise<Response> {
  const requestId = requestIdFrom(request);
  try {
    // Closed library routes (404) and unstorable text (422) first: client-guard.ts.
    await guardAuthRequest(request, method);
    if (method === 'POST' && GUARDED.test(new URL(request.url).pathname)) {
      const ip = clientIp(request) ?? 'unknown';
      await consumeRateLimit('auth', [`ip:${ip}`]);
    }
    const handlers = toNextJsHandler(await getAuth());
    return await handlers[method](request);
  } catch (err) {
    return errorToResponse(err, requestId, logger());
  }
}

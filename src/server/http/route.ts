// The one route wrapper. Every /api handler goes through it: request id, caller → ServiceContext,
// Origin check on cookie-authenticated mutations, rate limit, storable text (no U+0000 or
// unpaired surrogate in body, query or path: 422), Zod input, error mapping, and Zod-checked
// output. Routes stay adapters (STYLE.md §1).
import { z } from 'zod';
import { env } from '@/env';
import { resolveCaller } from '@/server/auth/resolve';
import { getDb } from '@/server/db';
import { ForbiddenError, PayloadTooLargeError, UnauthorizedError, ValidationError } from '@/server/errors';
import { newId } from '@/server/ids';
import type { ServiceContext } from './context.ts';
import { errorToResponse, json, validationFromZod } from './errors-response.ts';
import { logger } from './logger.ts';
import { consumeRateLimit, ipSubject, type RateLimitPolicy } from './rate-limit.ts';
import { clientIp } from './request-info.ts';
import { assertStorableInput } from './text-input.ts';
import { reportError } from '@/server/observability/sentry';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_MAX_BODY = 1024 * 1024;

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

export interface HandlerArgs<I> {
  ctx: ServiceContext;
  input: I;
  request: Request;
  params: Record<string, string>;
}

export interface RouteOptions<S extends z.ZodType | undefined, O extends z.ZodType | undefined> {
  /** 'user': a session or an API key acting in a workspace. 'public': nobody (health, docs). */
  auth: 'user' | 'public';
  input?: S;
  output?: O;
  rateLimit?: RateLimitPolicy;
  status?: number;
  maxBodyBytes?: number;
  handler: (args: HandlerArgs<S extends z.ZodType ? z.output<S> : undefined>) => Promise<unknown>;
}

export function requestIdFrom(request: Request): string {
  const given = request.headers.get('x-request-id');
  return given && /^[A-Za-z0-9_.-]{6,64}$/.test(given) ? given : newId('request');
}

/** Cookie-authenticated mutations must come from our own origin (CSRF defence). */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  const allowed = new URL(env().APP_URL).origin;
  if (origin) {
    if (origin !== allowed) throw new ForbiddenError(`Cross-origin request refused: ${origin} is not ${allowed}.`);
    return;
  }
  const site = request.headers.get('sec-fetch-site');
  if (site !== 'same-origin') throw new ForbiddenError('Cross-origin request refused: the Origin header is missing.');
}

export async function readJsonBody(request: Request, maxBytes = DEFAULT_MAX_BODY): Promise<unknown> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new PayloadTooLargeError(`Request body is larger than ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new PayloadTooLargeError(`Request body is larger than ${maxBytes} bytes.`);
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (e) {
    throw new ValidationError(`Request body is not valid JSON: ${(e as Error).message}. Send a JSON object with Content-Type: application/json.`);
  }
  assertStorableInput(parsed, 'Request body');
  return parsed;
}

export function queryToObject(url: URL): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key);
    out[key] = all.length > 1 ? all : (all[0] ?? '');
  }
  return out;
}

async function flatParams(routeCtx?: RouteParams): Promise<Record<string, string>> {
  const raw = routeCtx ? await routeCtx.params : {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw ?? {})) if (v !== undefined) out[k] = Array.isArray(v) ? v.join('/') : v;
  return out;
}

export function apiRoute<S extends z.ZodType | undefined = undefined, O extends z.ZodType | undefined = undefined>(
  options: RouteOptions<S, O>,
) {
  return async (request: Request, routeCtx?: RouteParams): Promise<Response> => {
    const requestId = requestIdFrom(request);
    const log = logger().child({ requestId, method: request.method, path: new URL(request.url).pathname });
    try {
      const db = await getDb();
      const ip = clientIp(request);
      const base = { requestId, db, inTransaction: false, ip, userAgent: request.headers.get('user-agent'), log };
      let ctx: ServiceContext;
      if (options.auth === 'user') {
        const caller = await resolveCaller(db, request);
        if (!caller) throw new UnauthorizedError('Sign in, or send an API key in the x-api-key header.');
        if (caller.viaCookie && MUTATING.has(request.method)) assertSameOrigin(request);
        ctx = { ...base, workspaceId: caller.workspaceId, actor: caller.actor };
      } else {
        ctx = { ...base, workspaceId: null, actor: { type: 'system', reason: 'public' } };
      }
      if (options.rateLimit) {
        const userId = ctx.actor.type === 'user' || ctx.actor.type === 'apiKey' ? `user:${ctx.actor.userId}` : null;
        await consumeRateLimit(options.rateLimit, [userId, ipSubject(ip)]);
      }
      // Every string of every route is storable text: the query and path here, the body in readJsonBody.
      assertStorableInput(queryToObject(new URL(request.url)), 'Query');
      const params = await flatParams(routeCtx);
      assertStorableInput(params, 'Path');
      let input: unknown = undefined;
      if (options.input) {
        const raw = MUTATING.has(request.method) && request.method !== 'DELETE'
          ? await readJsonBody(request, options.maxBodyBytes)
          : queryToObject(new URL(request.url));
        const parsed = options.input.safeParse(raw);
        if (!parsed.success) throw validationFromZod(parsed.error, MUTATING.has(request.method) ? 'Request body' : 'Query');
        input = parsed.data;
      }
      const result = await options.handler({ ctx, input: input as never, request, params });
      if (result instanceof Response) {
        result.headers.set('x-request-id', requestId);
        return result;
      }
      const body = options.output ? options.output.parse(result) : result;
      return json(options.status ?? 200, body, requestId);
    } catch (err) {
      const res = errorToResponse(err, requestId, log);
      if (res.status >= 500) reportError(err, { requestId });
      return res;
    }
  };
}

// The one route wrapper. Every /api handler goes through it: request id, caller → ServiceContext,
// Origin check on cookie-authenticated mutations, rate limit, storable text (no U+0000 or
// unpaired surrogate in body, query or path: 422), Zod input, error mapping, and Zod-checked
// output. Routes stay adapters (STYLE.md §1). The same definition carries the route's `doc`,
// so /api/openapi.json is generated from what the handlers really do (server/openapi).
//
// Order of checks per caller kind (each is what the routes did before the wrapper knew them):
//   user       caller (401) → Origin (403) → rate limit per user and IP → query/path text → input
//   public     rate limit per IP → query/path text → input
//   worker     rate limit per IP → query/path text → worker token (401) → input
//   signature  query/path text → rate limit per IP → `precheck` → raw body (413) → handler,
//              which verifies the signature over those exact bytes before parsing them.
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
import { readRawBody } from './raw-body.ts';
import { reportError } from '@/server/observability/sentry';
import { authenticateWorker } from '@/server/auth/worker-token';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_MAX_BODY = 1024 * 1024;

type RouteParams = { params: Promise<Record<string, string | string[] | undefined>> };

/**
 * 'user': a session or an API key acting in a workspace. 'public': nobody (health, docs).
 * 'worker': a worker bearer token (the handler gets the verified token). 'signature': the
 * handler verifies a Standard Webhooks signature over the raw body the wrapper hands it.
 */
export type RouteAuth = 'user' | 'public' | 'worker' | 'signature';

export interface WorkerTokenRef {
  id: string;
  name: string;
}

export interface HandlerArgs<I, A extends RouteAuth = RouteAuth> {
  ctx: ServiceContext;
  input: I;
  request: Request;
  params: Record<string, string>;
  /** The verified worker token ('worker' routes only). */
  worker: A extends 'worker' ? WorkerTokenRef : null;
  /** The exact bytes the sender signed ('signature' routes only); nothing parsed them. */
  raw: A extends 'signature' ? Buffer : null;
}

/** What the OpenAPI document says about a route; the path comes from the file's location. */
export interface RouteDoc {
  /** Stable camelCase verbNoun, unique across the API (client generators name methods by it). */
  operationId: string;
  summary: string;
  tag: string;
  /** Success statuses other than `status` (e.g. 204 when there is nothing, 302 redirect). */
  otherResponses?: Record<number, string>;
  /** Error statuses this route answers beyond the ones its options imply (409, 412, 503…). */
  errors?: number[];
  /** The success body is not JSON (a stream, a zip): its media type. */
  contentType?: string;
  /** 'signature' routes: the signed JSON body, which the handler parses only after verifying it. */
  body?: z.ZodType;
  /** The handler builds its own Response: the status and JSON body it answers with on success. */
  status?: number;
  responseBody?: z.ZodType;
  /** Request headers the route reads (Idempotency-Key, lora-job-id…). */
  headers?: { name: string; description: string; required?: boolean }[];
}

export interface RouteOptions<S extends z.ZodType | undefined, O extends z.ZodType | undefined, A extends RouteAuth = RouteAuth> {
  auth: A;
  doc: RouteDoc;
  input?: S;
  /** How a refused input is named in the 422 message (default "Request body" / "Query"). */
  inputLabel?: string;
  output?: O;
  rateLimit?: RateLimitPolicy;
  status?: number;
  maxBodyBytes?: number;
  /** 'signature' routes: refusals that come before the body is read (e.g. 503 when unconfigured). */
  precheck?: () => void;
  handler: (args: HandlerArgs<S extends z.ZodType ? z.output<S> : undefined, A>) => Promise<unknown>;
}

/** A route handler that still knows its definition, so the document can describe it. */
export type ApiRouteHandler = ((request: Request, routeCtx?: RouteParams) => Promise<Response>) & {
  definition: RouteOptions<z.ZodType | undefined, z.ZodType | undefined>;
};

/**
 * A handler that must stay outside the wrapper's database and caller steps (health answers 503
 * even when the database is down; the document needs no database). It still gets the common
 * parts that need neither — storable text in the query (422), error mapping — and carries its
 * definition, so it is documented like the rest.
 */
export function documentedRoute(
  handler: (request: Request) => Promise<Response> | Response,
  definition: Pick<RouteOptions<undefined, z.ZodType | undefined>, 'auth' | 'doc' | 'output' | 'status'>,
): ApiRouteHandler {
  const handle = async (request: Request): Promise<Response> => {
    try {
      assertStorableInput(queryToObject(new URL(request.url)), 'Query');
      return await handler(request);
    } catch (err) {
      const requestId = requestIdFrom(request);
      const res = errorToResponse(err, requestId, logger().child({ requestId, method: request.method, path: new URL(request.url).pathname }));
      if (res.status >= 500) reportError(err, { requestId });
      return res;
    }
  };
  return Object.assign(handle, { definition: definition as ApiRouteHandler['definition'] });
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

export function apiRoute<S extends z.ZodType | undefined = undefined, O extends z.ZodType | undefined = undefined, A extends RouteAuth = RouteAuth>(
  options: RouteOptions<S, O, A>,
): ApiRouteHandler {
  const handle = async (request: Request, routeCtx?: RouteParams): Promise<Response> => {
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
      // Every string of every route is storable text: the query and path here, the body in readJsonBody.
      const checkText = async () => {
        assertStorableInput(queryToObject(new URL(request.url)), 'Query');
        const flat = await flatParams(routeCtx);
        assertStorableInput(flat, 'Path');
        return flat;
      };
      // Webhook routes checked the URL's text before their own per-IP limit; the rest after it.
      let params = options.auth === 'signature' ? await checkText() : null;
      if (options.rateLimit) {
        const userId = ctx.actor.type === 'user' || ctx.actor.type === 'apiKey' ? `user:${ctx.actor.userId}` : null;
        await consumeRateLimit(options.rateLimit, [userId, ipSubject(ip)]);
      }
      params ??= await checkText();
      const worker = options.auth === 'worker' ? await authenticateWorker(db, request.headers) : null;
      let raw: Buffer | null = null;
      if (options.auth === 'signature') {
        options.precheck?.();
        raw = await readRawBody(request, options.maxBodyBytes);
      }
      let input: unknown = undefined;
      if (options.input) {
        const body = MUTATING.has(request.method) && request.method !== 'DELETE'
          ? await readJsonBody(request, options.maxBodyBytes)
          : queryToObject(new URL(request.url));
        const parsed = options.input.safeParse(body);
        if (!parsed.success) throw validationFromZod(parsed.error, options.inputLabel ?? (MUTATING.has(request.method) ? 'Request body' : 'Query'));
        input = parsed.data;
      }
      if (worker) {
        // The token is the credential; the worker_id it reports names the process behind it.
        const reported = (input as { worker_id?: unknown } | undefined)?.worker_id;
        ctx = { ...ctx, actor: { type: 'worker', workerTokenId: worker.id, workerId: typeof reported === 'string' ? reported : worker.name } };
      }
      const result = await options.handler({ ctx, input: input as never, request, params, worker: worker as never, raw: raw as never });
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
  return Object.assign(handle, { definition: options as ApiRouteHandler['definition'] });
}

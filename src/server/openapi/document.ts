// The OpenAPI 3.1 document, generated from the route definitions themselves: each exported
// handler of each route module carries its `apiRoute` options — auth kind, Zod input/output,
// rate limit, status, doc — so what is documented is what runs. The modules come from the app
// (src/app/api/openapi.json/routes.generated.ts): src/server never imports src/app.
import { z } from 'zod';
import { env } from '@/env';
import type { ApiRouteHandler, RouteOptions } from '@/server/http/route';

type Definition = RouteOptions<z.ZodType | undefined, z.ZodType | undefined>;

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const TAGS: Record<string, string> = {
  System: 'Health and this description',
  Account: 'The caller, their workspace and API keys',
  LoRAs: 'LoRA models (identity, style, product, chat)',
  Datasets: 'Photo sets and JSONL conversations: upload, commit, validate',
  Training: 'Training jobs: start, follow, cancel, retry, estimate',
  Versions: 'Trained versions and their downloads',
  Prompts: 'Activation, prompt compiling and Character Packs',
  Workers: 'The worker protocol: lease, heartbeat, signed events, provider webhooks',
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: 'Not signed in, no or a bad API key / worker token, or a bad webhook signature',
  402: 'Over the plan budget',
  403: 'Forbidden (e.g. a cookie-authenticated mutation from another origin)',
  404: 'Not found in this workspace',
  409: 'Conflict with the current state (for webhooks: already delivered)',
  412: 'A precondition no longer holds',
  413: 'Request body too large',
  422: 'Invalid input (Zod issues in error.details) or text that cannot be stored',
  429: 'Rate limit or plan limit reached (Retry-After says when to try again)',
  500: 'Something went wrong on our side (quote error.request_id)',
  503: 'A dependency is unavailable or not configured',
};

const SECURITY: Record<Definition['auth'], Record<string, string[]>[]> = {
  user: [{ session: [] }, { apiKey: [] }],
  public: [],
  worker: [{ workerToken: [] }],
  signature: [{ webhookSignature: [] }],
};

function schemaOf(s: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** The error statuses a route can answer: those its options imply, plus the ones its doc names. */
/**
 * The server clients should call. A public APP_URL is named as it is; a loopback one (a local
 * `npm start`) is given as "/", the origin this document was fetched from — a generated client
 * then works wherever the document came from, and no machine-local host is baked into it.
 */
function serverOf(appUrl: string): { url: string; description: string } {
  const host = new URL(appUrl).hostname;
  const loopback = host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host);
  return loopback
    ? { url: '/', description: 'The LoRA Studio serving this document (APP_URL is a loopback address)' }
    : { url: appUrl, description: 'This LoRA Studio (APP_URL)' };
}

export function errorStatuses(def: Definition, method: string, path: string): number[] {
  const out = new Set<number>([422, 500]); // 422: storable text in the query (and path), checked for every route
  if (def.auth !== 'public') out.add(401);
  if (def.auth === 'user') out.add(403);
  if (def.auth === 'user' && path.includes('{')) out.add(404);
  if (def.rateLimit) out.add(429);
  if (def.auth === 'signature' || (def.input && MUTATING.has(method) && method !== 'DELETE')) out.add(413);
  for (const s of def.doc.errors ?? []) out.add(s);
  return [...out].sort((a, b) => a - b);
}

function errorResponse(status: number) {
  return {
    description: ERROR_DESCRIPTIONS[status] ?? 'Error',
    ...(status === 429 ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
}

function operation(def: Definition, method: string, path: string) {
  const doc = def.doc;
  const parameters: Record<string, unknown>[] = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  for (const h of doc.headers ?? []) parameters.push({ name: h.name, in: 'header', required: h.required ?? true, description: h.description, schema: { type: 'string' } });
  if (def.auth === 'signature') {
    parameters.push(
      { name: 'webhook-id', in: 'header', required: true, description: 'Standard Webhooks message id (the same on every retry)', schema: { type: 'string' } },
      { name: 'webhook-timestamp', in: 'header', required: true, description: 'Unix seconds; more than 5 minutes off is refused', schema: { type: 'string' } },
    );
  }
  const status = doc.status ?? def.status ?? 200;
  const body = def.output ?? doc.responseBody;
  const success = {
    description: 'OK',
    ...(body ? { content: { 'application/json': { schema: schemaOf(body, 'output') } } } : doc.contentType ? { content: { [doc.contentType]: {} } } : {}),
  };
  const responses: Record<string, unknown> = { [String(status)]: success };
  for (const [s, description] of Object.entries(doc.otherResponses ?? {})) {
    responses[s] = Number(s) === 200 && body ? { description, content: { 'application/json': { schema: schemaOf(body, 'output') } } } : { description };
  }
  for (const s of errorStatuses(def, method, path)) responses[String(s)] = errorResponse(s);
  const op: Record<string, unknown> = { operationId: doc.operationId, summary: doc.summary, tags: [doc.tag], security: SECURITY[def.auth], parameters, responses };
  const requestSchema = def.input ?? doc.body;
  if (requestSchema) {
    if (method === 'GET' || method === 'DELETE') {
      const json = schemaOf(requestSchema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(json.properties ?? {})) {
        parameters.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema });
      }
    } else {
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(requestSchema, 'input') } } };
    }
  }
  return op;
}

/** Every documented handler: its path (from the file's location), method (from the export) and definition. */
export interface RouteModule {
  path: string;
  module: Record<string, unknown>;
}

export function documentedHandlers(modules: RouteModule[]): { path: string; method: string; definition: Definition }[] {
  const out: { path: string; method: string; definition: Definition }[] = [];
  for (const { path, module } of modules) {
    for (const method of HTTP_METHODS) {
      const handler = module[method] as ApiRouteHandler | undefined;
      if (handler?.definition) out.push({ path, method, definition: handler.definition });
    }
  }
  return out;
}

export function renderOpenApiDocument(modules: RouteModule[]) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const { path, method, definition } of documentedHandlers(modules)) (paths[path] ??= {})[method.toLowerCase()] = operation(definition, method, path);
  return {
    openapi: '3.1.0',
    info: {
      title: 'LoRA Studio API',
      version: '0.1.0',
      description: 'Errors share one shape: { "error": { "code", "message", "details"?, "request_id" } } (components.schemas.Error).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: [serverOf(env().APP_URL)],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    components: {
      schemas: {
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'Stable machine-readable code, e.g. not_found, unprocessable_entity' },
                message: { type: 'string', description: 'What went wrong and what to do, for people' },
                details: { description: 'Structured details, e.g. Zod issues [{ path, code, message }] on 422' },
                request_id: { type: 'string', description: 'The request id (also the x-request-id header)' },
              },
            },
          },
        },
      },
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token', description: 'Browser session (Better Auth); mutations must come from APP_URL (Origin)' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'API key created in the app or with POST /api/api-keys' },
        workerToken: { type: 'http', scheme: 'bearer', description: 'Worker token (lsw_…) from scripts/create-worker-token.ts' },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description: 'Standard Webhooks: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<raw body>")>; worker events use the per-attempt key chosen by lora-job-id / lora-job-attempt, Replicate its account webhook secret',
        },
      },
    },
    paths,
  };
}

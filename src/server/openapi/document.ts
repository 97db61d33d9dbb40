import { z } from 'zod';
import { API_ROUTES, type RouteDoc } from './registry.ts';

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {}, request_id: { type: 'string' } },
    },
  },
};

function schemaOf(s: z.ZodType, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function operation(r: RouteDoc) {
  const params = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const op: Record<string, unknown> = {
    summary: r.summary,
    tags: [r.tag],
    security: r.auth === 'user' ? [{ session: [] }, { apiKey: [] }] : r.auth === 'worker' ? [{ workerToken: [] }] : [],
    parameters: params,
    responses: {
      [String(r.status ?? 200)]: { description: 'OK', content: r.output ? { 'application/json': { schema: schemaOf(r.output, 'output') } } : undefined },
      default: { description: 'Error', content: { 'application/json': { schema: ERROR_SCHEMA } } },
    },
  };
  if (r.input) {
    if (r.method === 'get' || r.method === 'delete') {
      const json = schemaOf(r.input, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(json.properties ?? {})) {
        params.push({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: schema as { type: string } });
      }
    } else {
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(r.input, 'input') } } };
    }
  }
  return op;
}

export function buildOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of API_ROUTES) (paths[r.path] ??= {})[r.method] = operation(r);
  return {
    openapi: '3.1.0',
    info: { title: 'LoRA Studio API', version: '0.1.0', description: 'Errors share one shape: { "error": { "code", "message", "details"? } }.' },
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'better-auth.session_token' },
        apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
        workerToken: { type: 'http', scheme: 'bearer' },
      },
    },
    paths,
  };
}

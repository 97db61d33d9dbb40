// What client generators (and Redocly's recommended rules) need from the document, checked
// cheaply here; the full check is `npx redocly lint --extends=recommended` (README, API).
import { describe, expect, it } from 'vitest';
import { env, overrideEnvForTests } from '@/env';
import { buildOpenApiDocument } from '@/app/api/openapi.json/document';

type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
};

const doc = buildOpenApiDocument();
const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op: op as Operation })));

describe('OpenAPI document for client generators', () => {
  it('names the server from APP_URL; a loopback APP_URL is given as "/" (the origin serving the document)', () => {
    const host = new URL(env().APP_URL).hostname;
    expect(doc.servers).toEqual([expect.objectContaining({ url: /^(localhost|127\.)/.test(host) ? '/' : env().APP_URL })]);
    const before = env().APP_URL;
    overrideEnvForTests({ APP_URL: 'https://studio.example.org' });
    try {
      expect(buildOpenApiDocument().servers).toEqual([expect.objectContaining({ url: 'https://studio.example.org' })]);
    } finally {
      overrideEnvForTests({ APP_URL: before });
    }
  });

  it('gives every operation a unique camelCase verbNoun operationId, a summary and a declared tag', () => {
    const ids = operations.map(({ op }) => op.operationId);
    for (const { where, op } of operations) {
      expect(op.operationId, where).toMatch(/^[a-z]+[A-Z][A-Za-z]*$/);
      expect(op.summary, where).toBeTruthy();
      expect(doc.tags.map((t) => t.name), where).toEqual(expect.arrayContaining(op.tags ?? ['(none)']));
    }
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('gives every operation a 2xx, and its error responses in the one Error schema (500 always)', () => {
    for (const { where, op } of operations) {
      const statuses = Object.keys(op.responses).map(Number);
      expect(statuses.some((s) => s >= 200 && s < 400), where).toBe(true);
      expect(statuses, where).toContain(500);
      for (const s of statuses.filter((x) => x >= 400)) {
        expect(op.responses[String(s)]!.content?.['application/json']?.schema, `${where} ${s}`).toEqual({ $ref: '#/components/schemas/Error' });
      }
    }
    const error = doc.components.schemas.Error;
    expect(error.required).toEqual(['error']);
    expect(error.properties.error.required).toEqual(['code', 'message']);
    expect(Object.keys(error.properties.error.properties).sort()).toEqual(['code', 'details', 'message', 'request_id']);
  });

  it('gives each operation a 4xx', () => {
    const without = operations.filter(({ op }) => !Object.keys(op.responses).some((s) => s.startsWith('4'))).map(({ where }) => where);
    expect(without).toEqual([]);
  });

  it('declares the security each caller kind really uses, and only declared schemes', () => {
    const schemes = doc.components.securitySchemes;
    expect(schemes.apiKey).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(schemes.session).toMatchObject({ type: 'apiKey', in: 'cookie' });
    expect(schemes.workerToken).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(schemes.webhookSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'webhook-signature' });
    for (const { where, op } of operations) {
      expect(op.security, where).toBeDefined();
      for (const req of op.security!) for (const name of Object.keys(req)) expect(Object.keys(schemes), where).toContain(name);
    }
    const security = (where: string) => operations.find((o) => o.where === where)!.op.security;
    expect(security('GET /api/lora/models')).toEqual([{ session: [] }, { apiKey: [] }]);
    expect(security('POST /api/workers/lease')).toEqual([{ workerToken: [] }]);
    expect(security('POST /api/lora/webhook')).toEqual([{ webhookSignature: [] }]);
    expect(security('POST /api/lora/webhook/replicate')).toEqual([{ webhookSignature: [] }]);
    expect(security('GET /api/health')).toEqual([]);
  });
});

describe('GET /api/openapi.json', () => {
  it('serves the document, and refuses a query that is not storable text (422 in the one error shape)', async () => {
    const { GET } = await import('@/app/api/openapi.json/route');
    const ok = await GET(new Request('http://localhost:3000/api/openapi.json'));
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { paths: object }).paths).toHaveProperty(['/api/lora/jobs']);
    const bad = await GET(new Request('http://localhost:3000/api/openapi.json?x=%00'));
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('unprocessable_entity');
  });
});

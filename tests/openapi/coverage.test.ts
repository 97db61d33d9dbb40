// The OpenAPI document is generated from the route definitions: every exported handler of
// every src/app/api/**/route.ts found on disk is an operation in it, every operation has a
// handler, and the generated index of route modules is in step with the files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '@/app/api/openapi.json/document';
import { HTTP_METHODS } from '@/server/openapi/document';
import { renderRouteIndex, routeFiles, UNDOCUMENTED_ROUTES } from '@/server/openapi/route-files';

const API_DIR = fileURLToPath(new URL('../../src/app/api', import.meta.url));
const INDEX = fileURLToPath(new URL('../../src/app/api/openapi.json/routes.generated.ts', import.meta.url));

describe('OpenAPI coverage', () => {
  it('the generated index of route modules matches the route files on disk', () => {
    expect(readFileSync(INDEX, 'utf8'), 'run: npx tsx scripts/gen-openapi-routes.ts').toBe(renderRouteIndex(API_DIR));
  });

  it('every exported handler of every route.ts is an operation, and every operation has a handler', async () => {
    const doc = buildOpenApiDocument();
    const handlers = new Set<string>();
    for (const file of routeFiles(API_DIR)) {
      if (file.route in UNDOCUMENTED_ROUTES) continue;
      const mod = (await import(/* @vite-ignore */ `${API_DIR}/${file.route.slice('/api/'.length)}/route.ts`)) as Record<string, unknown>;
      for (const method of HTTP_METHODS) if (typeof mod[method] === 'function') handlers.add(`${method} ${file.path}`);
    }
    const operations = new Set(Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
    expect([...handlers].filter((h) => !operations.has(h)), 'handlers without an operation').toEqual([]);
    expect([...operations].filter((o) => !handlers.has(o)), 'operations without a handler').toEqual([]);
    expect(operations.size).toBeGreaterThanOrEqual(40);
  });

  it('exempts only routes that exist, each with a reason', () => {
    const routes = new Set(routeFiles(API_DIR).map((f) => f.route));
    for (const [route, reason] of Object.entries(UNDOCUMENTED_ROUTES)) {
      expect(routes.has(route), route).toBe(true);
      expect(reason.length).toBeGreaterThan(20);
    }
  });
});

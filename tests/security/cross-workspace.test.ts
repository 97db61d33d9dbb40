// Workspace isolation, route by route (issue #11 "attacks that held"). Owner A has one of
// everything; outsider B — signed in to B's own workspace, with a cookie and then with B's
// API key — calls every method of every route with A's ids. Each id-bearing call must be a
// 404 in the one error shape (never 200/403/500); list and "own" routes answer for B only.
// Nothing may carry A's data, and afterwards A's things are all still there, unchanged.
//
// The table is checked against the route.ts files found on disk at test time: a new route
// or method without a row here (or a documented reason to be absent) fails this suite.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb, tables } from '@/server/db';
import { GRACE_HOPPER } from '../images/synthetic.ts';
import { addFiles, init } from '../datasets/helpers.ts';
import { call } from '../helpers/http.ts';
import { jobBody, postJob } from '../jobs/fixtures.ts';
import { owner, trainVersion, type Owner } from '../versions/fixtures.ts';
import { expectError, jobRow, outsider, type Outsider } from './helpers.ts';

type Handler = (request: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;
type RouteModule = Partial<Record<string, Handler>>;

const API_DIR = fileURLToPath(new URL('../../src/app/api', import.meta.url));
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** Every route.ts under src/app/api as its URL pattern, e.g. /api/lora/jobs/[id]. */
function routeFiles(dir = API_DIR): Map<string, string> {
  const out = new Map<string, string>();
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) for (const [k, v] of routeFiles(full)) out.set(k, v);
    else if (e.name === 'route.ts') out.set(`/api/${path.relative(API_DIR, dir).split(path.sep).join('/')}`.replace(/\/$/, ''), full);
  }
  return out;
}

/** Routes that carry no workspace resource of a signed-in caller, and where their attacks are covered instead. */
const NOT_WORKSPACE_ROUTES: Record<string, string> = {
  '/api/auth/[...all]': 'Better Auth itself (sign-up, sign-in, session): no workspace ids',
  '/api/health': 'public status, no data',
  '/api/openapi.json': 'public API description, no data',
  '/api/storage/local/[token]': 'the signed token is the only credential — tests/security/signed-urls.test.ts',
  '/api/workers/lease': 'worker token, not a user — tests/security/worker-keys.test.ts',
  '/api/workers/heartbeat': 'worker token, not a user — tests/security/worker-keys.test.ts',
  '/api/lora/webhook': 'signed worker events — tests/security/webhook-matrix.test.ts',
  '/api/lora/webhook/replicate': 'signed Replicate webhooks — tests/security/webhook-matrix.test.ts',
};

interface Fixture {
  a: Owner;
  aKeyId: string;
  aApiKey: string;
  versionId: string;
  doneJobId: string;
  queuedJobId: string;
  photoDatasetId: string;
  photoItemId: string;
  photoUploadKey: string;
  b: Outsider;
  bModelId: string;
  bDatasetId: string;
  /** Strings that are A's data and that B never sends: none may appear in any answer to B. */
  secrets: string[];
}

type Req = { path: string; params?: Record<string, string>; body?: unknown; headers?: Record<string, string> };
type Expect = { status: 404 } | { status: 200 | 201 | 412 | 422; emptyList?: boolean; viaApiKey?: 403 };
interface Row {
  req: (f: Fixture) => Req;
  expect: Expect;
}

const NOT_FOUND: Expect = { status: 404 };
const EMPTY_LIST: Expect = { status: 200, emptyList: true };
const id = (value: string) => ({ id: value });
const idempotency = () => ({ 'idempotency-key': `xws-${randomBytes(6).toString('hex')}` });

// `route METHOD` → how an outsider calls it with A's ids, and what must come back.
const TABLE: Record<string, Row[]> = {
  '/api/api-keys GET': [{ req: () => ({ path: '/api/api-keys' }), expect: { status: 200 } }],
  // Keys are minted from a signed-in session only (create.ts): an API key may not mint more.
  '/api/api-keys POST': [{ req: () => ({ path: '/api/api-keys', body: { name: 'b key' } }), expect: { status: 201, viaApiKey: 403 } }],
  '/api/api-keys/[id] DELETE': [{ req: (f) => ({ path: `/api/api-keys/${f.aKeyId}`, params: id(f.aKeyId) }), expect: NOT_FOUND }],
  '/api/lora/activate GET': [{ req: () => ({ path: '/api/lora/activate' }), expect: { status: 200 } }],
  '/api/lora/activate POST': [{ req: (f) => ({ path: '/api/lora/activate', body: { version_id: f.versionId } }), expect: NOT_FOUND }],
  '/api/lora/activate DELETE': [{ req: () => ({ path: '/api/lora/activate' }), expect: { status: 200 } }],
  '/api/lora/compile/profiles GET': [{ req: () => ({ path: '/api/lora/compile/profiles' }), expect: { status: 200 } }],
  '/api/lora/compile POST': [{ req: () => ({ path: '/api/lora/compile', body: { profile: 'sdxl', scene: 'a portrait' } }), expect: { status: 200 } }],
  '/api/lora/datasets GET': [
    { req: (f) => ({ path: `/api/lora/datasets?model_id=${f.a.modelId}` }), expect: EMPTY_LIST },
    { req: (f) => ({ path: `/api/lora/datasets?q=${f.photoDatasetId}` }), expect: EMPTY_LIST },
  ],
  '/api/lora/datasets/[id] GET': [{ req: (f) => ({ path: `/api/lora/datasets/${f.photoDatasetId}`, params: id(f.photoDatasetId) }), expect: NOT_FOUND }],
  '/api/lora/datasets/[id] DELETE': [
    { req: (f) => ({ path: `/api/lora/datasets/${f.photoDatasetId}`, params: id(f.photoDatasetId) }), expect: NOT_FOUND },
    { req: (f) => ({ path: `/api/lora/datasets/${f.a.datasetId}`, params: id(f.a.datasetId) }), expect: NOT_FOUND },
  ],
  '/api/lora/datasets/[id]/items/[itemId] DELETE': [
    { req: (f) => ({ path: `/api/lora/datasets/${f.photoDatasetId}/items/${f.photoItemId}`, params: { id: f.photoDatasetId, itemId: f.photoItemId } }), expect: NOT_FOUND },
    // B's own dataset id with A's item: the item is still someone else's.
    { req: (f) => ({ path: `/api/lora/datasets/${f.bDatasetId}/items/${f.photoItemId}`, params: { id: f.bDatasetId, itemId: f.photoItemId } }), expect: NOT_FOUND },
  ],
  '/api/lora/datasets/commit POST': [
    { req: (f) => ({ path: '/api/lora/datasets/commit', body: { dataset_id: f.photoDatasetId, files: [{ key: f.photoUploadKey, sha256: '0'.repeat(64) }] } }), expect: NOT_FOUND },
    // B's own dataset naming A's uploaded object: refused as "not an upload of this dataset"
    // (422, parseDatasetUploadKey) before any storage read; the key is B's own input echoed.
    { req: (f) => ({ path: '/api/lora/datasets/commit', body: { dataset_id: f.bDatasetId, files: [{ key: f.photoUploadKey, sha256: '0'.repeat(64) }] } }), expect: { status: 422 } },
  ],
  '/api/lora/datasets/init POST': [
    { req: (f) => ({ path: '/api/lora/datasets/init', body: { model_id: f.a.modelId, files: [{ name: 'x.jpg', size: 1000, content_type: 'image/jpeg' }] } }), expect: NOT_FOUND },
    { req: (f) => ({ path: '/api/lora/datasets/init', body: { model_id: f.bModelId, dataset_id: f.photoDatasetId, files: [{ name: 'x.jpg', size: 1000, content_type: 'image/jpeg' }] } }), expect: NOT_FOUND },
  ],
  '/api/lora/datasets/validate POST': [{ req: (f) => ({ path: '/api/lora/datasets/validate', body: { dataset_id: f.a.datasetId } }), expect: NOT_FOUND }],
  '/api/lora/jobs GET': [{ req: (f) => ({ path: `/api/lora/jobs?model_id=${f.a.modelId}` }), expect: EMPTY_LIST }],
  '/api/lora/jobs POST': [
    { req: (f) => ({ path: '/api/lora/jobs', body: jobBody(f.a), headers: idempotency() }), expect: NOT_FOUND },
    { req: (f) => ({ path: '/api/lora/jobs', body: { ...jobBody(f.a), model_id: f.bModelId }, headers: idempotency() }), expect: NOT_FOUND },
  ],
  '/api/lora/jobs/estimate POST': [
    { req: (f) => ({ path: '/api/lora/jobs/estimate', body: { base_model: 'llama-3.1-8b-instruct', dataset_id: f.a.datasetId, gpu_type: 'a100_80gb', gpu_count: 1 } }), expect: NOT_FOUND },
  ],
  '/api/lora/jobs/[id] GET': [{ req: (f) => ({ path: `/api/lora/jobs/${f.doneJobId}`, params: id(f.doneJobId) }), expect: NOT_FOUND }],
  '/api/lora/jobs/[id]/cancel POST': [{ req: (f) => ({ path: `/api/lora/jobs/${f.queuedJobId}/cancel`, params: id(f.queuedJobId), body: {} }), expect: NOT_FOUND }],
  '/api/lora/jobs/[id]/events GET': [{ req: (f) => ({ path: `/api/lora/jobs/${f.doneJobId}/events`, params: id(f.doneJobId) }), expect: NOT_FOUND }],
  '/api/lora/jobs/[id]/logs GET': [{ req: (f) => ({ path: `/api/lora/jobs/${f.doneJobId}/logs`, params: id(f.doneJobId) }), expect: NOT_FOUND }],
  '/api/lora/jobs/[id]/retry POST': [{ req: (f) => ({ path: `/api/lora/jobs/${f.doneJobId}/retry`, params: id(f.doneJobId), body: {} }), expect: NOT_FOUND }],
  '/api/lora/jobs/[id]/samples GET': [{ req: (f) => ({ path: `/api/lora/jobs/${f.doneJobId}/samples`, params: id(f.doneJobId) }), expect: NOT_FOUND }],
  '/api/lora/models GET': [{ req: () => ({ path: '/api/lora/models?q=Alice' }), expect: EMPTY_LIST }],
  '/api/lora/models POST': [{ req: () => ({ path: '/api/lora/models', body: { name: 'B model', kind: 'identity' } }), expect: { status: 201 } }],
  '/api/lora/models/[id] GET': [{ req: (f) => ({ path: `/api/lora/models/${f.a.modelId}`, params: id(f.a.modelId) }), expect: NOT_FOUND }],
  '/api/lora/models/[id] PATCH': [{ req: (f) => ({ path: `/api/lora/models/${f.a.modelId}`, params: id(f.a.modelId), body: { name: 'pwned' } }), expect: NOT_FOUND }],
  '/api/lora/models/[id] DELETE': [{ req: (f) => ({ path: `/api/lora/models/${f.a.modelId}`, params: id(f.a.modelId) }), expect: NOT_FOUND }],
  '/api/lora/packs GET': [{ req: () => ({ path: '/api/lora/packs?profile=sora-2&scene=a%20portrait' }), expect: { status: 412 } }],
  '/api/lora/packs POST': [{ req: () => ({ path: '/api/lora/packs', body: { profile: 'sora-2', scene: 'a portrait' } }), expect: { status: 412 } }],
  '/api/lora/versions GET': [{ req: (f) => ({ path: `/api/lora/versions?model_id=${f.a.modelId}` }), expect: NOT_FOUND }],
  '/api/lora/versions/[id] GET': [{ req: (f) => ({ path: `/api/lora/versions/${f.versionId}`, params: id(f.versionId) }), expect: NOT_FOUND }],
  '/api/lora/versions/[id] DELETE': [{ req: (f) => ({ path: `/api/lora/versions/${f.versionId}`, params: id(f.versionId) }), expect: NOT_FOUND }],
  '/api/lora/versions/[id]/download GET': [
    { req: (f) => ({ path: `/api/lora/versions/${f.versionId}/download`, params: id(f.versionId) }), expect: NOT_FOUND },
    { req: (f) => ({ path: `/api/lora/versions/${f.versionId}/download?file=all`, params: id(f.versionId) }), expect: NOT_FOUND },
  ],
  '/api/lora/versions/[id]/download POST': [{ req: (f) => ({ path: `/api/lora/versions/${f.versionId}/download`, params: id(f.versionId), body: {} }), expect: NOT_FOUND }],
  '/api/me GET': [{ req: () => ({ path: '/api/me' }), expect: { status: 200 } }],
};

const routes = new Map<string, RouteModule>();
let f: Fixture;

beforeAll(async () => {
  for (const [pattern, file] of routeFiles()) routes.set(pattern, (await import(file)) as RouteModule);

  const marker = `Alice-secret-${Date.now().toString(36)}`;
  const a = await owner({ modelName: marker, triggerWord: 'zqxalice', description: `${marker} description` });
  const versionId = await trainVersion(a);
  const db = await getDb();
  const [done] = await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.loraVersionId, versionId));
  const asA = { cookie: a.cookie, headers: { 'x-forwarded-for': a.ip } };
  const activated = await call(routes.get('/api/lora/activate')!.POST!, '/api/lora/activate', { ...asA, body: { version_id: versionId } });
  if (activated.status !== 200) throw new Error(`activate failed: ${JSON.stringify(activated.body)}`);
  const queued = await postJob(a, jobBody(a));
  if (queued.status !== 201) throw new Error(`queued job failed: ${JSON.stringify(queued.body)}`);
  const photo = await addFiles(a.cookie, a.modelId, [{ name: 'alice-portrait.jpg', bytes: GRACE_HOPPER }]);
  if (photo.committed.status !== 200) throw new Error(`commit failed: ${JSON.stringify(photo.committed.body)}`);
  const key = await call(routes.get('/api/api-keys')!.POST!, '/api/api-keys', { ...asA, body: { name: 'alice key' } });

  const b = await outsider();
  const asB = { cookie: b.cookie, headers: { 'x-forwarded-for': b.ip } };
  const bModel = await call(routes.get('/api/lora/models')!.POST!, '/api/lora/models', { ...asB, body: { name: 'Bob LoRA', kind: 'identity' } });
  const bInit = await init(b.cookie, { model_id: bModel.body.id, files: [{ name: 'b.jpg', size: 1000, content_type: 'image/jpeg' }] });
  if (bInit.status !== 201) throw new Error(`B init failed: ${JSON.stringify(bInit.body)}`);

  f = {
    a,
    aKeyId: key.body.id,
    aApiKey: key.body.key,
    versionId,
    doneJobId: done!.id,
    queuedJobId: queued.body.id,
    photoDatasetId: photo.datasetId,
    photoItemId: photo.committed.body.items[0].id,
    photoUploadKey: photo.uploads[0]!.key,
    b,
    bModelId: bModel.body.id,
    bDatasetId: bInit.body.dataset_id,
    secrets: [a.workspaceId, a.userId, a.email, marker, 'zqxalice', key.body.key, photo.committed.body.items[0].sha256],
  };
}, 180_000);

describe('cross-workspace: every route family and method with another workspace’s ids', () => {
  it('the table covers every exported handler of every route.ts (new routes need a row)', () => {
    const found: string[] = [];
    for (const [pattern, mod] of routes) {
      if (pattern in NOT_WORKSPACE_ROUTES) continue;
      for (const m of METHODS) if (typeof mod[m] === 'function') found.push(`${pattern} ${m}`);
    }
    expect(found.sort()).toEqual(Object.keys(TABLE).sort());
    for (const pattern of Object.keys(NOT_WORKSPACE_ROUTES)) expect(routes.has(pattern), `${pattern} exists`).toBe(true);
    expect(routes.size).toBeGreaterThanOrEqual(30);
  });

  for (const credential of ['cookie', 'api key'] as const) {
    it(`outsider with a ${credential}: 404 for every id of A, lists and own routes answer for B only`, async () => {
      const auth = credential === 'cookie' ? { cookie: f.b.cookie } : { apiKey: f.b.apiKey };
      for (const [entry, rows] of Object.entries(TABLE)) {
        const [pattern, method] = entry.split(' ') as [string, string];
        const handler = routes.get(pattern)![method]!;
        for (const row of rows) {
          const r = row.req(f);
          const label = `${credential} ${method} ${r.path}`;
          const res = await call(handler, r.path, { method, params: r.params, body: r.body, ...auth, headers: { 'x-forwarded-for': f.b.ip, ...r.headers } });
          if (row.expect.status === 404) expectError(res, 404, 'not_found', label);
          else {
            const want = credential === 'api key' && 'viaApiKey' in row.expect && row.expect.viaApiKey ? row.expect.viaApiKey : row.expect.status;
            expect(res.status, `${label} (body ${JSON.stringify(res.body)?.slice(0, 300)})`).toBe(want);
          }
          if ('emptyList' in row.expect && row.expect.emptyList) expect(res.body.data, label).toEqual([]);
          const text = JSON.stringify(res.body) + JSON.stringify([...res.headers]);
          const sent = JSON.stringify(r); // an id or key B itself sent may be echoed in a message
          for (const secret of f.secrets) if (!sent.includes(secret)) expect(text.includes(secret), `${label} leaks ${secret}`).toBe(false);
        }
      }
    });
  }

  it("naming A's workspace explicitly (x-workspace-id) is refused for B (403, resolve.ts), cookie or API key, with none of A's data", async () => {
    for (const auth of [{ cookie: f.b.cookie }, { apiKey: f.b.apiKey }]) {
      for (const [pattern, p, params] of [
        ['/api/lora/models/[id]', `/api/lora/models/${f.a.modelId}`, id(f.a.modelId)],
        ['/api/lora/models', '/api/lora/models', undefined],
        ['/api/me', '/api/me', undefined],
      ] as const) {
        const res = await call(routes.get(pattern)!.GET!, p, { ...auth, params, headers: { 'x-forwarded-for': f.b.ip, 'x-workspace-id': f.a.workspaceId } });
        expectError(res, 403, 'forbidden', p);
        expect(JSON.stringify(res.body)).not.toContain(f.a.modelName);
      }
    }
  });

  it("afterwards all of A's things are intact and nothing was done in A's workspace by B", async () => {
    const asA = { cookie: f.a.cookie, headers: { 'x-forwarded-for': f.a.ip } };
    const get = (pattern: string, p: string, params?: Record<string, string>) => call(routes.get(pattern)!.GET!, p, { ...asA, params });
    expect((await get('/api/lora/models/[id]', `/api/lora/models/${f.a.modelId}`, id(f.a.modelId))).body).toMatchObject({ id: f.a.modelId, name: f.a.modelName });
    expect((await get('/api/lora/versions/[id]', `/api/lora/versions/${f.versionId}`, id(f.versionId))).body).toMatchObject({ id: f.versionId, status: 'ready' });
    expect((await get('/api/lora/activate', '/api/lora/activate')).body.active).toMatchObject({ version_id: f.versionId });
    const photos = await get('/api/lora/datasets/[id]', `/api/lora/datasets/${f.photoDatasetId}`, id(f.photoDatasetId));
    expect(photos.status).toBe(200);
    expect(photos.body.items.map((i: { id: string }) => i.id)).toEqual([f.photoItemId]);
    expect((await get('/api/lora/datasets/[id]', `/api/lora/datasets/${f.a.datasetId}`, id(f.a.datasetId))).status).toBe(200);
    expect(await jobRow(f.queuedJobId)).toMatchObject({ status: 'queued', attempt: 1 });
    expect(await jobRow(f.doneJobId)).toMatchObject({ status: 'succeeded', attempt: 1 });
    expect((await call(routes.get('/api/me')!.GET!, '/api/me', { apiKey: f.aApiKey })).status).toBe(200);
    const db = await getDb();
    const byB = await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.workspaceId, f.a.workspaceId), eq(tables.auditLog.actorId, f.b.userId)));
    expect(byB).toEqual([]);
  });
});

// The smaller attacks that held (issue #11), in one file so the suite starts one process
// fewer. HTML: a LoRA named with markup is stored and returned verbatim as JSON (never as
// HTML), and the components the server renders it with escape it. Origin: a cookie-
// authenticated mutation from another origin — a look-alike host, another scheme or port,
// `null`, or no Origin with a cross-site fetch — is refused with 403 before anything
// happens, on every kind of mutating route. Races: one Idempotency-Key is one job however
// many requests race with it, in a per-workspace namespace (another workspace reusing the
// key gets its own job, never a replay of ours); parallel starts at the training quota's
// edge create exactly what is left, the rest 429 with the one error shape.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as activateRoute from '@/app/api/lora/activate/route';
import * as initRoute from '@/app/api/lora/datasets/init/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import * as modelRoute from '@/app/api/lora/models/[id]/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import { LoraHeader } from '@/components/loras/lora-header';
import { LoraList } from '@/components/loras/lora-list';
import { getDb, tables } from '@/server/db';
import { newId } from '@/server/ids';
import { call } from '../helpers/http.ts';
import { jobBody, postJob, trainer, type Trainer } from '../jobs/fixtures.ts';
import { expectError } from './helpers.ts';

const XSS = `<script>alert(1)</script><img src=x onerror=alert(2)>`;
let t: Trainer;

beforeAll(async () => {
  t = await trainer();
});

describe('HTML escaping of user-supplied names', () => {
  it('a LoRA named with markup: the API returns it verbatim as JSON; LoraList and LoraHeader render it escaped', async () => {
    const created = await call(modelsRoute.POST, '/api/lora/models', { cookie: t.cookie, headers: { 'x-forwarded-for': t.ip }, body: { name: XSS, kind: 'identity', description: `"><svg onload=alert(3)>` } });
    expect(created.status).toBe(201);
    expect(created.headers.get('content-type')).toMatch(/^application\/json/);
    expect(created.body.name).toBe(XSS);
    const got = await call(modelRoute.GET, `/api/lora/models/${created.body.id}`, { cookie: t.cookie, params: { id: created.body.id } });
    expect(got.headers.get('content-type')).toMatch(/^application\/json/);
    expect(got.body.name).toBe(XSS);

    for (const html of [renderToStaticMarkup(createElement(LoraList, { models: [got.body] })), renderToStaticMarkup(createElement(LoraHeader, { model: got.body }))]) {
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<img src=x');
      expect(html).not.toContain('<svg onload');
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(html).toContain('&lt;svg onload=alert(3)&gt;');
    }
  });
});

describe('Origin check on cookie-authenticated mutations', () => {
  const ORIGINS: [string, Record<string, string>][] = [
    ['another site', { origin: 'https://evil.example' }],
    ['a look-alike host', { origin: 'http://localhost:3000.evil.example' }],
    ['another port', { origin: 'http://localhost:3001' }],
    ['another scheme', { origin: 'https://localhost:3000' }],
    ['the opaque origin "null"', { origin: 'null' }],
    ['no Origin, Sec-Fetch-Site cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['no Origin, no Sec-Fetch-Site', {}],
  ];
  const MUTATIONS: [string, (headers: Record<string, string>) => ReturnType<typeof call>][] = [
    ['POST /api/lora/models', (h) => call(modelsRoute.POST, '/api/lora/models', { cookie: t.cookie, origin: null, headers: h, body: { name: 'csrf', kind: 'identity' } })],
    ['PATCH /api/lora/models/:id', (h) => call(modelRoute.PATCH, `/api/lora/models/${t.modelId}`, { method: 'PATCH', cookie: t.cookie, origin: null, headers: h, params: { id: t.modelId }, body: { name: 'csrf' } })],
    ['DELETE /api/lora/models/:id', (h) => call(modelRoute.DELETE, `/api/lora/models/${t.modelId}`, { method: 'DELETE', cookie: t.cookie, origin: null, headers: h, params: { id: t.modelId } })],
    ['POST /api/api-keys', (h) => call(keysRoute.POST, '/api/api-keys', { cookie: t.cookie, origin: null, headers: h, body: { name: 'csrf' } })],
    ['POST /api/lora/jobs', (h) => call(jobsRoute.POST, '/api/lora/jobs', { cookie: t.cookie, origin: null, headers: { ...h, 'idempotency-key': `csrf-${randomBytes(4).toString('hex')}` }, body: jobBody(t) })],
    ['POST /api/lora/datasets/init', (h) => call(initRoute.POST, '/api/lora/datasets/init', { cookie: t.cookie, origin: null, headers: h, body: { model_id: t.modelId, files: [{ name: 'a.jpg', size: 1000, content_type: 'image/jpeg' }] } })],
    ['DELETE /api/lora/activate', (h) => call(activateRoute.DELETE, '/api/lora/activate', { method: 'DELETE', cookie: t.cookie, origin: null, headers: h })],
  ];

  it.each(ORIGINS)('%s → 403 on every mutating route, nothing written', async (_label, headers) => {
    const db = await getDb();
    const auditBefore = (await db.select().from(tables.auditLog).where(eq(tables.auditLog.workspaceId, t.workspaceId))).length;
    for (const [name, send] of MUTATIONS) expectError(await send(headers), 403, 'forbidden', name);
    const [model] = await db.select().from(tables.loraModels).where(eq(tables.loraModels.id, t.modelId));
    expect(model).toMatchObject({ name: 'Ada', deletedAt: null });
    expect(await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, t.workspaceId))).toEqual([]);
    expect((await db.select().from(tables.auditLog).where(eq(tables.auditLog.workspaceId, t.workspaceId))).length).toBe(auditBefore);
  });

  it('the same session from our own origin (or a same-origin fetch without Origin) is accepted; an API key needs no Origin', async () => {
    const own = await call(modelRoute.PATCH, `/api/lora/models/${t.modelId}`, { method: 'PATCH', cookie: t.cookie, params: { id: t.modelId }, body: { description: 'from the app' } });
    expect(own.status).toBe(200);
    const sameSite = await call(modelRoute.PATCH, `/api/lora/models/${t.modelId}`, { method: 'PATCH', cookie: t.cookie, origin: null, headers: { 'sec-fetch-site': 'same-origin' }, params: { id: t.modelId }, body: { description: 'same-origin fetch' } });
    expect(sameSite.status).toBe(200);
    const key = await call(keysRoute.POST, '/api/api-keys', { cookie: t.cookie, body: { name: 'integration' } });
    const viaKey = await call(modelRoute.PATCH, `/api/lora/models/${t.modelId}`, { method: 'PATCH', apiKey: key.body.key, origin: 'https://integrator.example', params: { id: t.modelId }, body: { description: 'via api key' } });
    expect(viaKey.status).toBe(200);
  });
});

const jobsOf = async (workspaceId: string) => (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, workspaceId));

describe('Idempotency-Key', () => {
  it('four racing requests with one key → one job (one 201, three 200 replays of it); another workspace’s same key → its own job', async () => {
    const a = await trainer();
    const key = `race-${randomBytes(6).toString('hex')}`;
    const answers = await Promise.all(Array.from({ length: 4 }, () => postJob(a, jobBody(a), key)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((r) => r.body.idempotent_replay === true)).toHaveLength(3);
    expect(await jobsOf(a.workspaceId)).toHaveLength(1);

    const b = await trainer();
    const theirs = await postJob(b, jobBody(b), key);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe([...ids][0]);
    expect(theirs.body.idempotent_replay).toBe(false);
    expect(await jobsOf(b.workspaceId)).toHaveLength(1);
    expect(await jobsOf(a.workspaceId)).toHaveLength(1);
  });
});

describe('training quota (training_jobs_per_month) under a race', () => {
  it('one run left and four parallel starts → exactly one job; the others 429 with used = limit', async () => {
    const t = await trainer({ plan: 'pro' });
    const db = await getDb();
    const [pro] = await db.select().from(tables.plans).where(eq(tables.plans.id, 'pro'));
    const limit = (pro!.limits as { training_jobs_per_month: number }).training_jobs_per_month;
    expect(limit).toBeGreaterThan(1);
    // The counter is the audit ledger (plans/limits.ts): limit − 1 runs already this month.
    await db.insert(tables.auditLog).values(
      Array.from({ length: limit - 1 }, () => ({ id: newId('audit'), workspaceId: t.workspaceId, actorType: 'user', actorId: t.userId, action: 'job.create', targetType: 'lora_job', targetId: newId('job') })),
    );
    const answers = await Promise.all(Array.from({ length: 4 }, () => postJob(t, jobBody(t))));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 429, 429, 429]);
    for (const refused of answers.filter((r) => r.status === 429)) {
      expectError(refused, 429, 'rate_limit_exceeded');
      expect(refused.body.error.details).toMatchObject({ limit_name: 'training_jobs_per_month', used: limit, limit });
    }
    expect(await jobsOf(t.workspaceId)).toHaveLength(1);
    const creates = await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.workspaceId, t.workspaceId), eq(tables.auditLog.action, 'job.create')));
    expect(creates).toHaveLength(limit);
  });
});

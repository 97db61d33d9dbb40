// The replicate provider against Replicate's RECORDED answers (../shared/fixtures/webhooks/
// replicate, see PROVENANCE.md §6): a local server replays them as REPLICATE_API_BASE, and
// recorded training objects are delivered as signed webhooks. Nothing calls out.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buildSignedHeaders, generateWebhookSecret } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import * as replicateHook from '@/app/api/lora/webhook/replicate/route';
import { overrideEnvForTests, type Env } from '@/env';
import { getDb, tables } from '@/server/db';
import { JOB_CONFIG } from '@/server/jobs/config';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { call } from '../helpers/http.ts';
import { jobBody, postJob, trainer } from '../jobs/fixtures.ts';

const DIR = path.resolve(process.cwd(), '../shared/fixtures/webhooks/replicate');
const recorded = (file: string) => readFileSync(path.join(DIR, 'extracted', file), 'utf8');
const cassetteUri = (file: string, n = 0) => [...readFileSync(path.join(DIR, 'cassettes', file), 'utf8').matchAll(/uri: (\S+)/g)][n]![1]!;

const SECRET = generateWebhookSecret();
type Reply = { status: number; body: string };
const replies = new Map<string, Reply>(); // "METHOD path" → recorded answer
const seen: { method: string; url: string; body: string }[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body });
      const r = replies.get(`${req.method} ${req.url}`) ?? { status: 404, body: '{"detail":"Not found.","status":404}' };
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  overrideEnvForTests({ REPLICATE_API_BASE: base, REPLICATE_API_TOKEN: 'r8_test', REPLICATE_WEBHOOK_SECRET: SECRET, REPLICATE_DESTINATION: 'replicate/dreambooth-sdxl' } as Partial<Env>);
});
afterAll(() => server.close());

const CREATE = `POST ${new URL(cassetteUri('trainings-create.yaml')).pathname}`;
const hook = (raw: string) => call(replicateHook.POST, '/api/lora/webhook/replicate', { rawBody: raw, headers: buildSignedHeaders({ body: raw, secret: SECRET }), origin: null });
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

describe('replicate provider, recorded API answers', () => {
  it('create (starting) → dispatched; a recorded processing answer, polled → running', async () => {
    replies.set(CREATE, { status: 201, body: recorded('trainings-create.0.response.json') });
    const t = await trainer();
    const id = (await postJob(t, jobBody(t, { provider: 'replicate' }))).body.id as string;
    const ours = seen.find((s) => `${s.method} ${s.url}` === CREATE)!;
    const theirs = JSON.parse(recorded('trainings-create.0.request.json'));
    expect(Object.keys(JSON.parse(ours.body))).toEqual(expect.arrayContaining(Object.keys(theirs)));
    expect(await jobRow(id)).toMatchObject({ status: 'dispatched', externalJobId: 'wj4is6lbdqqkdepnwpr6v2kuva' });

    replies.set('GET /v1/trainings/wj4is6lbdqqkdepnwpr6v2kuva', { status: 200, body: recorded('trainings-get.0.response.json') });
    await runSchedulerTick(new Date(Date.now() + (JOB_CONFIG.pollAfterSeconds + 5) * 1000));
    expect((await jobRow(id)).status).toBe('running');
  });

  it('cancel → recorded cancel answer; the recorded canceled object as a signed webhook ends the job', async () => {
    replies.set(CREATE, { status: 201, body: recorded('trainings-cancel.0.response.json') });
    replies.set(`POST ${new URL(cassetteUri('trainings-cancel.yaml', 1)).pathname}`, { status: 200, body: recorded('trainings-cancel.1.response.json') });
    const t = await trainer();
    const id = (await postJob(t, jobBody(t, { provider: 'replicate' }))).body.id as string;
    expect((await jobRow(id)).externalJobId).toBe('xxi2kydbnla3ocjp64sclkewku');
    const c = await call(cancelRoute.POST, `/api/lora/jobs/${id}/cancel`, { cookie: t.cookie, params: { id }, body: {} });
    expect(c.body.status).toBe('cancel_requested');
    expect(seen.some((s) => s.url === '/v1/trainings/xxi2kydbnla3ocjp64sclkewku/cancel')).toBe(true);
    const res = await hook(recorded('trainings-cancel.1.response.json'));
    expect(res.body).toMatchObject({ job_id: id, status: 'canceled' });
  });

  it('the documented succeeded object: its weights ("...") are not an allow-listed URL → failed, nothing fetched', async () => {
    replies.set(CREATE, { status: 201, body: recorded('openapi_trainings.create_response_example.raw.txt') });
    const t = await trainer();
    const id = (await postJob(t, jobBody(t, { provider: 'replicate' }))).body.id as string;
    expect((await jobRow(id)).externalJobId).toBe('zz4ibbonubfz7carwiefibzgga');
    const res = await hook(recorded('openapi_trainings.get_response_example.trailing-comma-removed.json'));
    expect(res.body.status).toBe('failed');
    expect(await jobRow(id)).toMatchObject({ status: 'failed', error: { code: 'artifact_unavailable' } });
  });

  it('the recorded 404 for an invalid destination → the job fails with Replicate’s reason', async () => {
    replies.set(CREATE, { status: 404, body: recorded('trainings-create__invalid-destination.0.response.json') });
    const t = await trainer();
    const id = (await postJob(t, jobBody(t, { provider: 'replicate' }))).body.id as string;
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'failed', error: { code: 'provider_rejected' } });
    expect(row.error!.message).toContain('The specified training destination does not exist');
  });
});

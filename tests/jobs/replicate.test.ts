// The replicate provider against a local HTTP server speaking Replicate's trainings API
// (responses written here in its documented shape; the recorded ones are replayed by
// tests/realworld/replicate.test.ts). Nothing calls out.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSignedHeaders, generateWebhookSecret } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as replicateHook from '@/app/api/lora/webhook/replicate/route';
import { overrideEnvForTests, type Env } from '@/env';
import { getDb, tables } from '@/server/db';
import { JOB_CONFIG } from '@/server/jobs/config';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { call } from '../helpers/http.ts';
import { jobBody, postJob, trainer } from './fixtures.ts';

const SECRET = generateWebhookSecret();
const requests: { method: string; url: string; auth?: string; body: any }[] = [];
const trainings = new Map<string, Record<string, unknown>>();
let n = 0;
let server: Server;

const training = (id: string, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  model: 'stability-ai/sdxl',
  version: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b',
  input: {},
  logs: '',
  error: null,
  status,
  created_at: '2025-01-01T00:00:00.000Z',
  urls: { get: `https://api.replicate.com/v1/trainings/${id}`, cancel: `https://api.replicate.com/v1/trainings/${id}/cancel` },
  ...extra,
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      requests.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body: raw ? JSON.parse(raw) : null });
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && /^\/v1\/models\/[^/]+\/[^/]+\/versions\/[^/]+\/trainings$/.test(req.url!)) {
        const t = training(`tr${++n}`, 'starting');
        trainings.set(t.id, t);
        return send(201, t);
      }
      const m = /^\/v1\/trainings\/([^/]+)(\/cancel)?$/.exec(req.url!);
      if (m && trainings.has(m[1]!)) {
        if (m[2]) trainings.set(m[1]!, { ...trainings.get(m[1]!), status: 'canceled' });
        return send(200, trainings.get(m[1]!));
      }
      send(404, { detail: 'Not found.', status: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  overrideEnvForTests({ REPLICATE_API_BASE: base, REPLICATE_API_TOKEN: 'r8_test_token', REPLICATE_WEBHOOK_SECRET: SECRET, REPLICATE_DESTINATION: 'acme/loras' } as Partial<Env>);
});
afterAll(() => server.close());

function hook(body: unknown, opts: { secret?: string; id?: string } = {}) {
  const raw = JSON.stringify(body);
  return call(replicateHook.POST, '/api/lora/webhook/replicate', { rawBody: raw, headers: buildSignedHeaders({ body: raw, secret: opts.secret ?? SECRET, id: opts.id }), origin: null });
}
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

describe('replicate provider', () => {
  it('creates a training with our webhook and filter; its signed webhooks move the job; replays are refused', async () => {
    const t = await trainer();
    const created = await postJob(t, jobBody(t, { provider: 'replicate' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const sent = requests.find((r) => r.method === 'POST' && r.url.includes('/trainings'))!;
    expect(sent.url).toBe('/v1/models/stability-ai/sdxl/versions/39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b/trainings');
    expect(sent.auth).toBe('Bearer r8_test_token');
    expect(sent.body).toMatchObject({ destination: 'acme/loras', webhook: 'http://localhost:3000/api/lora/webhook/replicate', webhook_events_filter: ['start', 'logs', 'completed'] });
    expect(sent.body.input).toMatchObject({ max_train_steps: 50, lora_rank: 8, use_face_detection_instead: true });
    expect(sent.body.input.input_images).toMatch(/^http:\/\/localhost:3000\/api\/storage\/local\//);
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'dispatched', externalJobId: expect.stringMatching(/^tr\d+$/) });

    const processing = training(row.externalJobId!, 'processing', { logs: 'loading\nstep 1/50' });
    expect((await hook(processing, { secret: generateWebhookSecret() })).status).toBe(401);
    const ok = await hook(processing, { id: 'msg_replicate_1' });
    expect(ok.status).toBe(200);
    expect(await jobRow(id)).toMatchObject({ status: 'running' });
    expect((await hook(processing, { id: 'msg_replicate_1' })).status).toBe(409);
    const logs = await (await getDb()).select().from(tables.jobEvents).where(eq(tables.jobEvents.jobId, id));
    expect(logs.find((e) => e.type === 'log')!.payload).toMatchObject({ lines: ['loading', 'step 1/50'] });

    // Weights from a host that is not allow-listed (or not https) are never fetched.
    const before = requests.length;
    const done = training(row.externalJobId!, 'succeeded', { output: { weights: `http://127.0.0.1:${(server.address() as AddressInfo).port}/weights.tar`, version: 'v' }, metrics: { predict_time: 60 } });
    const res = await hook(done);
    expect(res.body.status).toBe('failed');
    expect(requests.length).toBe(before);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', error: { code: 'artifact_unavailable' } });
  });

  it('polls trainings whose webhooks were missed, and maps a failure', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t, { provider: 'replicate' }))).body.id as string;
    const ext = (await jobRow(id)).externalJobId!;
    trainings.set(ext, training(ext, 'processing'));
    await runSchedulerTick(new Date(Date.now() + (JOB_CONFIG.pollAfterSeconds + 5) * 1000));
    expect((await jobRow(id)).status).toBe('running');
    trainings.set(ext, training(ext, 'failed', { error: 'CUDA error: out of memory', logs: 'step 3\nCUDA error: out of memory' }));
    await runSchedulerTick(new Date(Date.now() + 2 * (JOB_CONFIG.pollAfterSeconds + 5) * 1000));
    expect(await jobRow(id)).toMatchObject({ status: 'failed', error: { code: 'provider_failed', message: 'CUDA error: out of memory', last_lines: ['step 3', 'CUDA error: out of memory'] } });
  });

  it('cancel asks Replicate; its canceled webhook ends the job; text bases are refused (422)', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t, { provider: 'replicate' }))).body.id as string;
    const ext = (await jobRow(id)).externalJobId!;
    const cancelRoute = await import('@/app/api/lora/jobs/[id]/cancel/route');
    expect((await call(cancelRoute.POST, `/api/lora/jobs/${id}/cancel`, { cookie: t.cookie, params: { id }, body: {} })).body.status).toBe('cancel_requested');
    expect(requests.some((r) => r.url === `/v1/trainings/${ext}/cancel`)).toBe(true);
    expect((await hook(trainings.get(ext))).body.status).toBe('canceled');

    const text = await trainer({ modality: 'text' });
    const refused = await postJob(text, jobBody(text, { provider: 'replicate' }, 'text'));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0].path).toBe('provider');
  });
});

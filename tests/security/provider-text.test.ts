// Issue #11 / #7, provider side: Replicate's training object (webhook or poll) carries free text
// — logs, error — that reaches job_events and the job's error. A NUL or an unpaired surrogate
// in it must be stored replaced, not turn the delivery into a 500 that Replicate retries.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSignedHeaders, generateWebhookSecret } from '@lora-studio/protocol';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as replicateHook from '@/app/api/lora/webhook/replicate/route';
import { overrideEnvForTests, type Env } from '@/env';
import { getDb, tables } from '@/server/db';
import { JOB_CONFIG } from '@/server/jobs/config';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { call } from '../helpers/http.ts';
import { jobBody, postJob, trainer } from '../jobs/fixtures.ts';

const SECRET = generateWebhookSecret();
const trainings = new Map<string, Record<string, unknown>>();
let n = 0;
let server: Server;

const training = (id: string, status: string, extra: Record<string, unknown> = {}) => ({ id, status, logs: '', error: null, input: {}, created_at: '2025-01-01T00:00:00.000Z', ...extra });

beforeAll(async () => {
  // A local stand-in for Replicate's trainings API; answers are written with JSON.stringify,
  // so a NUL travels as the escape \u0000 and a lone surrogate as \ud800, as on the wire.
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'POST' && /\/trainings$/.test(req.url!)) {
        const t = training(`trx${++n}`, 'starting');
        trainings.set(t.id, t);
        return send(201, t);
      }
      const m = /^\/v1\/trainings\/([^/]+)$/.exec(req.url!);
      if (m && trainings.has(m[1]!)) return send(200, trainings.get(m[1]!));
      send(404, { detail: 'Not found.' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
  overrideEnvForTests({ REPLICATE_API_BASE: base, REPLICATE_API_TOKEN: 'r8_test_token', REPLICATE_WEBHOOK_SECRET: SECRET, REPLICATE_DESTINATION: 'acme/loras' } as Partial<Env>);
});
afterAll(() => server.close());

function hook(body: unknown) {
  const raw = JSON.stringify(body);
  return call(replicateHook.POST, '/api/lora/webhook/replicate', { rawBody: raw, headers: buildSignedHeaders({ body: raw, secret: SECRET }), origin: null });
}
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;
const logLines = async (id: string) =>
  (await (await getDb()).select().from(tables.jobEvents).where(and(eq(tables.jobEvents.jobId, id), eq(tables.jobEvents.type, 'log')))).flatMap((e) => (e.payload as { lines: string[] }).lines);

async function replicateJob() {
  const t = await trainer();
  const created = await postJob(t, jobBody(t, { provider: 'replicate' }));
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  return { id, ext: (await jobRow(id)).externalJobId! };
}

describe('Replicate text with NUL and unpaired surrogates', () => {
  it('webhook: logs and error with NULs → 200, stored with U+FFFD, and the next delivery is applied', async () => {
    const { id, ext } = await replicateJob();
    const processing = await hook(training(ext, 'processing', { logs: 'loading\u0000 weights\nstep 1/50 \ud800' }));
    expect(processing.status).toBe(200);
    expect(await logLines(id)).toEqual(['loading\uFFFD weights', 'step 1/50 \uFFFD']);
    const failed = await hook(training(ext, 'failed', { logs: 'loading\u0000 weights\nstep 1/50 \ud800\nboom\u0000', error: 'CUDA\u0000 error \udc00' }));
    expect(failed.status).toBe(200);
    expect(await jobRow(id)).toMatchObject({ status: 'failed', error: { code: 'provider_failed', message: 'CUDA\uFFFD error \uFFFD', last_lines: ['loading\uFFFD weights', 'step 1/50 \uFFFD', 'boom\uFFFD'] } });
  });

  it('poll: a failure whose error holds a NUL is applied by the scheduler, stored with U+FFFD', async () => {
    const { id, ext } = await replicateJob();
    trainings.set(ext, training(ext, 'failed', { error: 'out of\u0000 memory', logs: 'step 3\u0000' }));
    await runSchedulerTick(new Date(Date.now() + (JOB_CONFIG.pollAfterSeconds + 5) * 1000));
    expect(await jobRow(id)).toMatchObject({ status: 'failed', error: { code: 'provider_failed', message: 'out of\uFFFD memory', last_lines: ['step 3\uFFFD'] } });
  });
});

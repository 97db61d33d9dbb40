// webhook_worker: the signed push to {WORKER_URL}/v1/jobs, retry with backoff while the
// worker is unreachable, and the signed cancel — against a real local HTTP server.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JobSpec, verifyWebhook } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import { overrideEnvForTests } from '@/env';
import { getDb, tables } from '@/server/db';
import { dispatchBackoffSeconds } from '@/server/providers/dispatch';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { workerMasterSecret } from '@/server/webhooks/secrets';
import { call } from '../helpers/http.ts';
import { jobBody, postJob, trainer } from './fixtures.ts';

interface Received {
  path: string;
  body: string;
  headers: IncomingMessage['headers'];
}

const received: Received[] = [];
let server: Server | null = null;

async function startWorker(port = 0): Promise<number> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', body, headers: req.headers });
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ external_job_id: 'wj_test_1' }));
    });
  });
  await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
  return (server!.address() as AddressInfo).port;
}

afterAll(() => server?.close());

const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

describe('webhook_worker provider', () => {
  it('retries with backoff while the worker is down, then pushes a signed spec; cancel is a signed POST', async () => {
    // A port nothing listens on yet: grab one, close it, point WORKER_URL at it.
    const port = await startWorker();
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    overrideEnvForTests({ WORKER_URL: `http://127.0.0.1:${port}` });

    const t = await trainer();
    const created = await postJob(t, jobBody(t, { provider: 'webhook_worker' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    let row = await jobRow(id);
    expect(row).toMatchObject({ status: 'queued', provider: 'webhook_worker', dispatchAttempts: 1 });
    expect(row.nextDispatchAt!.getTime()).toBeGreaterThan(Date.now());

    await startWorker(port);
    const when = new Date(Date.now() + (dispatchBackoffSeconds(1) + 1) * 1000);
    const report = await runSchedulerTick(when);
    expect(report.dispatched).toBe(1);
    row = await jobRow(id);
    expect(row).toMatchObject({ status: 'dispatched', externalJobId: 'wj_test_1', dispatchAttempts: 2 });

    const push = received.find((r) => r.path === '/v1/jobs')!;
    expect(() => verifyWebhook({ headers: push.headers as Record<string, string>, body: push.body, secret: workerMasterSecret() })).not.toThrow();
    expect(push.headers['lora-job-id']).toBe(id);
    const spec = JobSpec.parse(JSON.parse(push.body));
    expect(spec).toMatchObject({ job_id: id, attempt: 1, lease: null });
    expect(spec.callback.heartbeat_url).toBeUndefined();

    const c = await call(cancelRoute.POST, `/api/lora/jobs/${id}/cancel`, { cookie: t.cookie, params: { id }, body: {} });
    expect(c.body.status).toBe('cancel_requested');
    const cancel = received.find((r) => r.path === '/v1/jobs/wj_test_1/cancel')!;
    expect(() => verifyWebhook({ headers: cancel.headers as Record<string, string>, body: cancel.body, secret: workerMasterSecret() })).not.toThrow();
  });

  it('refuses webhook_worker when WORKER_URL is not configured (422)', async () => {
    overrideEnvForTests({ WORKER_URL: undefined });
    const t = await trainer();
    const res = await postJob(t, jobBody(t, { provider: 'webhook_worker' }));
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('provider');
  });
});

import { RATE_LIMIT_POLICIES } from '@/server/http/rate-limit';
import { buildSignedHeaders, encodeEvent, generateWebhookSecret, jobAttemptHeaders, type WorkerEvent } from '@lora-studio/protocol';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import { getDb, tables } from '@/server/db';
import { JOB_CONFIG } from '@/server/jobs/config';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { jobAttemptSecret } from '@/server/webhooks/secrets';
import { call, peerHeaders } from '../helpers/http.ts';
import { jobBody, lease, postJob, sendEvent, trainer, workerToken } from '../jobs/fixtures.ts';

// Other tests' queued jobs may be older: lease until ours comes out.
async function leaseUntil(token: string, id: string, workerId = 'w') {
  for (;;) {
    const l = await lease(token, workerId);
    if (l.status !== 200) throw new Error(`job ${id} was not leased`);
    if (l.body.spec.job_id === id) return l;
  }
}

async function leasedJob() {
  const t = await trainer();
  const job = await postJob(t, jobBody(t));
  const token = await workerToken();
  const l = await leaseUntil(token, job.body.id, `w-${job.body.id}`);
  return { t, id: job.body.id as string, spec: l.body.spec, token };
}
const started = (id: string, seq = 0, attempt = 1) => ({ type: 'job.started', job_id: id, attempt, seq, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } }) as const;
const progress = (id: string, seq: number, step: number) => ({ type: 'job.progress', job_id: id, attempt: 1, seq, data: { step, total_steps: 50, stage: 'training' } }) as const;
const db = () => getDb();
const jobRow = async (id: string) => (await (await db()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;
const eventCount = async (id: string) => (await (await db()).select().from(tables.jobEvents).where(eq(tables.jobEvents.jobId, id))).length;

describe('POST /api/lora/webhook (worker events)', () => {
  it('applies a signed event: dispatched → running, stored in job_events', async () => {
    const { id } = await leasedJob();
    const res = await sendEvent(started(id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ received: true, job_id: id, status: 'running' });
    expect(await jobRow(id)).toMatchObject({ status: 'running', backend: 'cpu-reference', lastSeq: 0 });
  });

  it('the same signed delivery twice → the second is refused (409) and nothing changes', async () => {
    const { id } = await leasedJob();
    await sendEvent(started(id));
    const body = encodeEvent({ ...progress(id, 1, 10), occurred_at: new Date().toISOString() } as WorkerEvent);
    const headers = { ...buildSignedHeaders({ body, secret: jobAttemptSecret(id, 1) }), ...jobAttemptHeaders(id, 1) };
    const first = await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: body, headers, origin: null });
    expect(first.status).toBe(200);
    const rowBefore = await jobRow(id);
    const countBefore = await eventCount(id);
    const replay = await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: body, headers, origin: null });
    expect(replay.status).toBe(409);
    expect(replay.body.error.message).toMatch(/already received/);
    // Re-signed under a new webhook-id, the same (job, attempt, seq) is still a duplicate.
    const resent = await sendEvent(progress(id, 1, 10));
    expect(resent.status).toBe(409);
    expect(await eventCount(id)).toBe(countBefore);
    expect(await jobRow(id)).toEqual(rowBefore);
  });

  it('bad signature, tampered body, wrong attempt key → 401; a timestamp 10 minutes old → 401', async () => {
    const { id } = await leasedJob();
    expect((await sendEvent(started(id), { secret: generateWebhookSecret() })).status).toBe(401);
    expect((await sendEvent(started(id), { now: new Date(Date.now() - 10 * 60_000) })).status).toBe(401);
    const body = encodeEvent({ ...started(id), occurred_at: new Date().toISOString() } as WorkerEvent);
    const headers = { ...buildSignedHeaders({ body, secret: jobAttemptSecret(id, 1) }), ...jobAttemptHeaders(id, 1) };
    const tampered = await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: body.replace('cpu-reference', 'kohya'), headers, origin: null });
    expect(tampered.status).toBe(401);
    const noJobHeaders = await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: body, headers: buildSignedHeaders({ body, secret: jobAttemptSecret(id, 1) }), origin: null });
    expect(noJobHeaders.status).toBe(401);
    expect(await jobRow(id)).toMatchObject({ status: 'dispatched', lastSeq: -1 });
    expect(await eventCount(id)).toBe(2); // queued + dispatched, nothing from the refused deliveries
  });

  it('headers and body must name the same job attempt (422); unknown shapes are 422', async () => {
    const { id } = await leasedJob();
    const mismatch = await sendEvent(started(id), { headers: jobAttemptHeaders(id, 2), secret: jobAttemptSecret(id, 2) });
    expect(mismatch.status).toBe(422);
    const raw = JSON.stringify({ type: 'job.exploded', job_id: id, attempt: 1, seq: 0 });
    const res = await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: raw, headers: { ...buildSignedHeaders({ body: raw, secret: jobAttemptSecret(id, 1) }), ...jobAttemptHeaders(id, 1) }, origin: null });
    expect(res.status).toBe(422);
  });

  it('an event for a stale attempt is refused and logged in the audit log, never applied', async () => {
    const { id, token } = await leasedJob();
    await runSchedulerTick(new Date(Date.now() + (JOB_CONFIG.leaseSeconds + 5) * 1000));
    const again = await leaseUntil(token, id, 'second');
    expect(again.body.spec).toMatchObject({ job_id: id, attempt: 2 });
    const res = await sendEvent(started(id, 0, 1));
    expect(res.status).toBe(409);
    expect(res.body.error.details.reason).toBe('stale_attempt');
    expect(await jobRow(id)).toMatchObject({ status: 'dispatched', attempt: 2 });
    const audit = await (await db()).select().from(tables.auditLog).where(and(eq(tables.auditLog.targetId, id), eq(tables.auditLog.action, 'job.event_refused')));
    expect(audit[0]!.metadata).toMatchObject({ reason: 'stale_attempt', attempt: 1 });
  });

  it('progress moves forward only; a late older event is stored but does not regress the job', async () => {
    const { id } = await leasedJob();
    await sendEvent(started(id));
    expect((await sendEvent(progress(id, 2, 20))).status).toBe(200);
    expect((await sendEvent(progress(id, 1, 10))).status).toBe(200);
    expect(await jobRow(id)).toMatchObject({ step: 20, totalSteps: 50, progress: 0.4, lastSeq: 2, stage: 'training' });
  });

  it('a retryable job.failed (worker_shutdown) re-queues as attempt 2; a final one fails the job', async () => {
    const { id, token } = await leasedJob();
    await sendEvent(started(id));
    const shutdown = { type: 'job.failed', job_id: id, attempt: 1, seq: 1, data: { code: 'worker_shutdown', message: 'SIGTERM', retryable: true, last_lines: [] as string[] } } as const;
    const res = await sendEvent(shutdown);
    expect(res.body.status).toBe('queued');
    expect(await jobRow(id)).toMatchObject({ status: 'queued', attempt: 2, leaseOwner: null });
    const l = await leaseUntil(token, id, 'next');
    expect(l.body.spec).toMatchObject({ job_id: id, attempt: 2 });
    const fatal = { type: 'job.failed', job_id: id, attempt: 2, seq: 0, data: { code: 'backend_error', message: 'CUDA out of memory', retryable: false, last_lines: ['RuntimeError: CUDA out of memory'] as string[] } } as const;
    expect((await sendEvent(fatal)).body.status).toBe('failed');
    expect(await jobRow(id)).toMatchObject({ status: 'failed', error: { code: 'backend_error', last_lines: ['RuntimeError: CUDA out of memory'] } });
    // Anything after a terminal status is an illegal transition.
    const late = await sendEvent({ ...progress(id, 1, 5), attempt: 2 });
    expect(late.status).toBe(409);
    expect(late.body.error.details.reason).toBe('illegal_transition');
  });

  it('samples are recorded on the version as they arrive; keys we did not issue are refused', async () => {
    const { id, spec } = await leasedJob();
    const sample = { type: 'job.sample', job_id: id, attempt: 1, seq: 0, data: { step: 10, key: spec.outputs.samples[0].key, content_type: 'image/png', prompt: 'zkvor7 portrait' } } as const;
    expect((await sendEvent(sample)).status).toBe(200);
    const foreign = { ...sample, seq: 1, data: { ...sample.data, key: 'ws/ws_other/datasets/ds_x/archive/ds_x.zip' } };
    expect((await sendEvent(foreign)).status).toBe(422);
    const row = await jobRow(id);
    const [version] = await (await db()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, row.loraVersionId));
    expect(version!.previewImagesJson).toEqual([{ key: spec.outputs.samples[0].key, step: 10, prompt: 'zkvor7 portrait' }]);
    expect(row.status).toBe('running');
  });

  it('is rate limited per IP (webhook policy) before any signature work', async () => {
    const headers = peerHeaders('192.0.2.77');
    let last = 0;
    for (let i = 0; i <= RATE_LIMIT_POLICIES.webhook.points; i++) last = (await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: '{}', headers, origin: null })).status;
    expect(last).toBe(429);
  });
});

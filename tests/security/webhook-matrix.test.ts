// The webhook attack matrix (issue #11 "attacks that held"): every way to forge, replay or
// misroute a worker event or a Replicate webhook, each answered with the status the README's
// worker contract promises (401 signature/timestamp, 409 replay/duplicate/stale/illegal,
// 422 malformed/mismatched/unissued key, 413 oversized) — and nothing applied: the job row,
// its version row and its stored events are exactly as before the delivery.
import { randomBytes } from 'node:crypto';
import { buildSignedHeaders, encodeEvent, generateWebhookSecret, jobAttemptHeaders, type WorkerEvent } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as replicateRoute from '@/app/api/lora/webhook/replicate/route';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import { overrideEnvForTests, type Env } from '@/env';
import { getDb, tables } from '@/server/db';
import { jobAttemptSecret, workerMasterSecret } from '@/server/webhooks/secrets';
import { call } from '../helpers/http.ts';
import { jobBody, postJob, sendEvent, trainer } from '../jobs/fixtures.ts';
import { owner, trainVersion } from '../versions/fixtures.ts';
import { expectError, jobRow, jobState, leasedJob } from './helpers.ts';

const REPLICATE_SECRET = generateWebhookSecret();
const MINUTE = 60_000;

interface Jobs {
  /** running, attempt 1, seq 0 and 1 accepted (the exact delivery of seq 1 kept for the replay row) */
  j: string;
  jDelivery: { raw: string; headers: Record<string, string> };
  jSpec: any;
  /** another leased job: its attempt key must not sign J's events */
  k: string;
  kSpec: any;
  /** re-queued after a retryable failure: now on attempt 2 */
  stale: string;
  /** succeeded, version ready */
  done: string;
  /** a Replicate job (dispatched, external id set) */
  rep: string;
  repExternal: string;
}
let jobs: Jobs;

const started = (id: string, seq = 0, attempt = 1) => ({ type: 'job.started', job_id: id, attempt, seq, occurred_at: new Date().toISOString(), data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } }) as WorkerEvent;
const progress = (id: string, seq: number, attempt = 1) => ({ type: 'job.progress', job_id: id, attempt, seq, occurred_at: new Date().toISOString(), data: { step: 5, total_steps: 50, stage: 'training' } }) as WorkerEvent;

/** One delivery: the exact bytes and the headers; each part overridable to forge it. */
function delivery(e: WorkerEvent | string, o: { secret?: string; now?: Date; id?: string; jobHeaders?: Record<string, string> | null; extra?: Record<string, string>; tamper?: (raw: string) => string } = {}) {
  const raw = typeof e === 'string' ? e : encodeEvent(e);
  const ids = typeof e === 'string' ? { job_id: jobs.j, attempt: 1 } : e;
  const signed = buildSignedHeaders({ body: raw, secret: o.secret ?? jobAttemptSecret(ids.job_id, ids.attempt), now: o.now, id: o.id });
  const headers = { ...signed, ...(o.jobHeaders === null ? {} : (o.jobHeaders ?? jobAttemptHeaders(ids.job_id, ids.attempt))), ...o.extra };
  return { raw: o.tamper ? o.tamper(raw) : raw, headers };
}
const post = (d: { raw: string; headers: Record<string, string> }) => call(webhookRoute.POST, '/api/lora/webhook', { rawBody: d.raw, headers: d.headers, origin: null });

beforeAll(async () => {
  overrideEnvForTests({ REPLICATE_WEBHOOK_SECRET: REPLICATE_SECRET } as Partial<Env>);
  // Succeeded first: its worker leases the oldest queued job, so the others are made after.
  const o = await owner();
  const versionId = await trainVersion(o);
  const db = await getDb();
  const [done] = await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.loraVersionId, versionId));

  const t = await trainer({ plan: 'enterprise' });
  const j = await leasedJob(t);
  if ((await sendEvent(started(j.id))).status !== 200) throw new Error('J did not start');
  const jDelivery = delivery(progress(j.id, 1));
  if ((await post(jDelivery)).status !== 200) throw new Error('J progress refused');
  const k = await leasedJob(t);
  const stale = await leasedJob(t);
  await sendEvent(started(stale.id));
  const requeued = await sendEvent({ type: 'job.failed', job_id: stale.id, attempt: 1, seq: 1, data: { code: 'worker_shutdown', message: 'SIGTERM', retryable: true, last_lines: [] } });
  if (requeued.body.status !== 'queued') throw new Error(`stale job not re-queued: ${JSON.stringify(requeued.body)}`);

  const rep = await postJob(t, jobBody(t));
  const repExternal = `r8tr${randomBytes(6).toString('hex')}`;
  await db.update(tables.loraJobs).set({ provider: 'replicate', status: 'dispatched', externalJobId: repExternal }).where(eq(tables.loraJobs.id, rep.body.id));
  jobs = { j: j.id, jDelivery, jSpec: j.spec, k: k.id, kSpec: k.spec, stale: stale.id, done: done!.id, rep: rep.body.id, repExternal };
}, 180_000);

type Row = [label: string, status: number, code: string, build: () => { raw: string; headers: Record<string, string> }, reason?: string];

const ROWS: Row[] = [
  ['no signature headers at all', 401, 'unauthorized', () => ({ raw: encodeEvent(progress(jobs.j, 2)), headers: jobAttemptHeaders(jobs.j, 1) })],
  ['signed, but no lora-job-id / lora-job-attempt headers', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { jobHeaders: null })],
  ['a signature by a key that was never issued', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { secret: generateWebhookSecret() })],
  ["signed with another job's attempt key", 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { secret: jobAttemptSecret(jobs.k, 1) })],
  ['signed with the next attempt’s key of the same job', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { secret: jobAttemptSecret(jobs.j, 2) })],
  ['signed with the master secret instead of the attempt key', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { secret: workerMasterSecret() })],
  ['timestamp 6 minutes old', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { now: new Date(Date.now() - 6 * MINUTE) })],
  ['timestamp 6 minutes ahead', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { now: new Date(Date.now() + 6 * MINUTE) })],
  ['body changed after signing', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { tamper: (r) => r.replace('"step":5', '"step":50') })],
  ['signature header without a v1 signature', 401, 'unauthorized', () => delivery(progress(jobs.j, 2), { extra: { 'webhook-signature': 'v1,' + randomBytes(32).toString('base64') } })],
  ['the accepted delivery replayed (same webhook-id)', 409, 'conflict', () => jobs.jDelivery],
  ['the same (job, attempt, seq) under a new webhook-id', 409, 'conflict', () => delivery(progress(jobs.j, 1)), 'duplicate'],
  ['an event for an attempt the job has left (stale)', 409, 'conflict', () => delivery(progress(jobs.stale, 5, 1)), 'stale_attempt'],
  ['an event for an attempt the job has not reached', 409, 'conflict', () => delivery(progress(jobs.j, 2, 2)), 'stale_attempt'],
  ['anything after succeeded (illegal transition)', 409, 'conflict', () => delivery(progress(jobs.done, 50)), 'illegal_transition'],
  ['headers name another job than the body (signed with that job’s key)', 422, 'unprocessable_entity', () => delivery(progress(jobs.j, 2), { secret: jobAttemptSecret(jobs.k, 1), jobHeaders: jobAttemptHeaders(jobs.k, 1) })],
  ['headers name another attempt than the body', 422, 'unprocessable_entity', () => delivery(progress(jobs.j, 2, 2), { secret: jobAttemptSecret(jobs.j, 1), jobHeaders: jobAttemptHeaders(jobs.j, 1) })],
  [
    'a checkpoint key that was not issued to this attempt (another job’s)',
    422,
    'unprocessable_entity',
    () => delivery({ type: 'job.checkpoint', job_id: jobs.j, attempt: 1, seq: 2, occurred_at: new Date().toISOString(), data: { step: 10, key: jobs.kSpec.outputs.checkpoints[0].key, sha256: '0'.repeat(64), bytes: 10 } }),
  ],
  ['signed, but not JSON', 422, 'unprocessable_entity', () => delivery('{"type":"job.progress",', {})],
  ['signed, but an unknown event type', 422, 'unprocessable_entity', () => delivery(JSON.stringify({ type: 'job.exploded', job_id: jobs.j, attempt: 1, seq: 2, occurred_at: new Date().toISOString(), data: {} }))],
  // A valid job.log (≤ 500 lines of ≤ 8 KB) that is 1.6 MB on the wire: only the size cap refuses it.
  ['a valid, signed event over 1 MB', 413, 'payload_too_large', () => delivery({ type: 'job.log', job_id: jobs.j, attempt: 1, seq: 2, occurred_at: new Date().toISOString(), data: { stream: 'stdout', lines: Array.from({ length: 200 }, () => 'x'.repeat(8000)) } } as WorkerEvent)],
];

describe('worker events: the attack matrix', () => {
  it.each(ROWS)('%s → %i, nothing applied', async (_label, status, code, build, reason) => {
    const ids = [jobs.j, jobs.k, jobs.stale, jobs.done];
    const before = await Promise.all(ids.map(jobState));
    const res = await post(build());
    expectError(res, status, code);
    if (reason) expect(res.body.error.details).toMatchObject({ reason });
    expect(await Promise.all(ids.map(jobState))).toEqual(before);
  });

  it('the matrix is not vacuous: J still accepts its next genuine event', async () => {
    const res = await sendEvent({ ...progress(jobs.j, 2), data: { step: 7, total_steps: 50, stage: 'training' } } as WorkerEvent);
    expect(res.status).toBe(200);
    expect(await jobRow(jobs.j)).toMatchObject({ status: 'running', lastSeq: 2, step: 7 });
  });
});

describe('Replicate webhook: signature, freshness, replay, size', () => {
  const training = (status: string) => ({
    id: jobs.repExternal,
    model: 'stability-ai/sdxl',
    version: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b',
    input: {},
    logs: 'step 1/50',
    error: null,
    status,
    created_at: '2025-01-01T00:00:00.000Z',
    urls: { get: `https://api.replicate.com/v1/trainings/${jobs.repExternal}`, cancel: `https://api.replicate.com/v1/trainings/${jobs.repExternal}/cancel` },
  });
  const hook = (raw: string, headers: Record<string, string>) => call(replicateRoute.POST, '/api/lora/webhook/replicate', { rawBody: raw, headers, origin: null });
  const signed = (raw: string, o: { secret?: string; now?: Date; id?: string } = {}) => buildSignedHeaders({ body: raw, secret: o.secret ?? REPLICATE_SECRET, now: o.now, id: o.id });

  it('unsigned, wrong secret, stale or future timestamp, tampered body → 401; over 1 MB → 413; the job never moves', async () => {
    const raw = JSON.stringify(training('processing'));
    const before = await jobState(jobs.rep);
    const cases: [number, string, () => Promise<{ status: number; body: any }>][] = [
      [401, 'unauthorized', () => hook(raw, {})],
      [401, 'unauthorized', () => hook(raw, signed(raw, { secret: generateWebhookSecret() }))],
      [401, 'unauthorized', () => hook(raw, signed(raw, { now: new Date(Date.now() - 6 * MINUTE) }))],
      [401, 'unauthorized', () => hook(raw, signed(raw, { now: new Date(Date.now() + 6 * MINUTE) }))],
      [401, 'unauthorized', () => hook(raw.replace('processing', 'succeeded'), signed(raw))],
      [413, 'payload_too_large', () => {
        const big = JSON.stringify({ ...training('processing'), logs: 'x'.repeat(1024 * 1024 + 10) });
        return hook(big, signed(big));
      }],
    ];
    for (const [status, code, send] of cases) {
      expectError(await send(), status, code);
      expect(await jobState(jobs.rep)).toEqual(before);
    }
  });

  it('a genuine delivery applies once; the same webhook-id again → 409 and nothing more', async () => {
    const raw = JSON.stringify(training('processing'));
    const headers = signed(raw, { id: `msg_${randomBytes(6).toString('hex')}` });
    const first = await hook(raw, headers);
    expect(first.status).toBe(200);
    expect(await jobRow(jobs.rep)).toMatchObject({ status: 'running' });
    const after = await jobState(jobs.rep);
    const replay = await hook(raw, headers);
    expectError(replay, 409, 'conflict');
    // Re-signed now with the same id (a captured delivery, fresh timestamp): still a replay.
    expectError(await hook(raw, signed(raw, { id: headers['webhook-id'] })), 409, 'conflict');
    expect(await jobState(jobs.rep)).toEqual(after);
  });
});

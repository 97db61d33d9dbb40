// Worker credentials and worker-reported keys (issue #11 "attacks that held"). A worker,
// even one holding a genuine attempt key, may report only the object keys its job attempt
// was issued: another job's, another workspace's, an old attempt's, a dataset's, or a
// traversal → 422 and nothing is recorded. Lease and heartbeat need a live worker token
// (unknown, revoked, missing, a user's API key → 401), and a token only ever extends the
// lease it holds and never reads another job: not through lease, heartbeat or the user API.
import { beforeAll, describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import * as heartbeatRoute from '@/app/api/workers/heartbeat/route';
import * as leaseRoute from '@/app/api/workers/lease/route';
import { getDb } from '@/server/db';
import { datasetArchiveKey } from '@/server/storage/keys';
import { createWorkerToken, revokeWorkerToken } from '@/server/workers/tokens';
import { call } from '../helpers/http.ts';
import { CPU_WORKER, jobBody, lease, postJob, sendEvent, trainer } from '../jobs/fixtures.ts';
import { expectError, jobRow, jobState, leasedJob } from './helpers.ts';

type Leased = Awaited<ReturnType<typeof leasedJob>>;
let j: Leased; // the worker's own job (running)
let sibling: Leased; // another job of the same workspace
let foreign: Leased; // a job of another workspace
let revoked: Leased; // leased with a token that is then revoked
let apiKey: string;

const heartbeat = (authorization: string | null, body: object) =>
  call(heartbeatRoute.POST, '/api/workers/heartbeat', { body, headers: authorization === null ? {} : { authorization }, origin: null });
const leaseWith = (authorization: string | null) =>
  call(leaseRoute.POST, '/api/workers/lease', { body: { worker_id: 'w-intruder', capabilities: CPU_WORKER }, headers: authorization === null ? {} : { authorization }, origin: null });

beforeAll(async () => {
  const t = await trainer({ plan: 'enterprise' });
  j = await leasedJob(t);
  sibling = await leasedJob(t);
  foreign = await leasedJob(await trainer());
  const db = await getDb();
  const doomed = await createWorkerToken(db, { name: 'to be revoked' });
  const rt = await trainer();
  const rj = await postJob(rt, jobBody(rt));
  const l = await lease(doomed.token, 'w-revoked');
  if (l.status !== 200 || l.body.spec.job_id !== rj.body.id) throw new Error('revoked-token job was not leased');
  revoked = { t: rt, id: rj.body.id, token: doomed.token, workerId: 'w-revoked', spec: l.body.spec, secret: l.body.signing_secret };
  await revokeWorkerToken(db, doomed.id);
  const started = await sendEvent({ type: 'job.started', job_id: j.id, attempt: 1, seq: 0, data: { worker_id: j.workerId, backend: 'cpu-reference', gpu: null } });
  if (started.status !== 200) throw new Error('J did not start');
  const key = await call(keysRoute.POST, '/api/api-keys', { cookie: t.cookie, headers: { 'x-forwarded-for': t.ip }, body: { name: 'not a worker' } });
  apiKey = key.body.key;
}, 180_000);

describe('worker-reported keys must be the ones issued to that job attempt', () => {
  const checkpoint = (key: string) => ({ type: 'job.checkpoint', job_id: j.id, attempt: 1, seq: 1, data: { step: 10, key, sha256: 'a'.repeat(64), bytes: 10 } }) as const;
  const sample = (key: string) => ({ type: 'job.sample', job_id: j.id, attempt: 1, seq: 1, data: { step: 10, key, content_type: 'image/png' } }) as const;
  const succeeded = (key: string) => ({ type: 'job.succeeded', job_id: j.id, attempt: 1, seq: 1, data: { artifact: { key, sha256: 'a'.repeat(64), bytes: 10 }, files: [], summary: {}, gpu_seconds: 0 } }) as const;
  const own = () => j.spec.outputs;
  const dir = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);
  /** A one-part edit of an issued key that must really change it (else the row would test nothing). */
  const swap = (key: string, from: string, to: string) => {
    if (!key.includes(from)) throw new Error(`${key} has no ${from}`);
    return key.replace(from, to);
  };

  const ROWS: [string, () => object][] = [
    ['checkpoint: another job’s slot in the same workspace', () => checkpoint(sibling.spec.outputs.checkpoints[0].key)],
    ['checkpoint: another workspace’s slot', () => checkpoint(foreign.spec.outputs.checkpoints[0].key)],
    ['checkpoint: in its own prefix, but a slot that was never issued', () => checkpoint(`${dir(own().checkpoints[0].key)}checkpoint-99.safetensors`)],
    ['checkpoint: the next attempt’s slot', () => checkpoint(swap(own().checkpoints[0].key, `/${j.id}/1/`, `/${j.id}/2/`))],
    ['checkpoint: its own slot with ../ to another job', () => checkpoint(`${dir(own().checkpoints[0].key)}../../../${sibling.id}/1/checkpoints/checkpoint-0.safetensors`)],
    ['checkpoint: its own sample slot (wrong kind)', () => checkpoint(own().samples[0].key)],
    ['sample: another workspace’s slot', () => sample(foreign.spec.outputs.samples[0].key)],
    ['sample: the job’s own dataset archive', () => sample(datasetArchiveKey({ workspaceId: j.t.workspaceId, datasetId: j.t.datasetId }))],
    ['sample: an absolute path', () => sample('/etc/passwd')],
    ['sample: encoded traversal', () => sample(`${dir(own().samples[0].key)}%2e%2e/%2e%2e/x.png`)],
    ['succeeded: another job’s artifact', () => succeeded(sibling.spec.outputs.artifact.key)],
    ['succeeded: another workspace’s artifact', () => succeeded(foreign.spec.outputs.artifact.key)],
    ['succeeded: the next attempt’s artifact name', () => succeeded(swap(own().artifact.key, '/a1-', '/a2-'))],
    ['succeeded: ../ out of its version prefix', () => succeeded(`${dir(own().artifact.key)}../../../../../ws/x/a1-lora.safetensors`)],
  ];

  it.each(ROWS)('%s → 422, nothing recorded', async (_label, event) => {
    const others = [sibling.id, foreign.id];
    const before = await jobState(j.id);
    const othersBefore = await Promise.all(others.map(jobState));
    const res = await sendEvent(event() as never);
    expectError(res, 422, 'unprocessable_entity');
    expect(await jobState(j.id)).toEqual(before);
    expect(await Promise.all(others.map(jobState))).toEqual(othersBefore);
    expect((await jobState(j.id)).version.previewImagesJson ?? []).toEqual([]);
  });

  it('its own issued keys are accepted (the refusals above are the key check)', async () => {
    const res = await sendEvent(sample(own().samples[0].key) as never);
    expect(res.status).toBe(200);
    const after = await jobState(j.id);
    expect(after.version.previewImagesJson).toEqual([{ key: own().samples[0].key, step: 10 }]);
  });

  it('the spec it was given names only its own job’s objects', () => {
    const o = j.spec.outputs;
    const keys: string[] = [o.artifact.key, o.logs.key, ...o.samples.map((s: { key: string }) => s.key), ...o.checkpoints.map((s: { key: string }) => s.key)];
    for (const key of keys) {
      expect(key.startsWith(`ws/${j.t.workspaceId}/`), key).toBe(true);
      expect(key.includes(j.id) || key.includes(j.spec.job_id) || key.includes('/versions/'), key).toBe(true);
      for (const other of [sibling.id, foreign.id, foreign.t.workspaceId]) expect(key.includes(other), key).toBe(false);
    }
  });
});

describe('lease and heartbeat credentials', () => {
  const BAD: [string, string | null][] = [
    ['no Authorization header', null],
    ['an unknown token', 'Bearer lsw_' + 'x'.repeat(43)],
    ['a token without its scheme', 'TOKEN'],
    ['Basic auth', `Basic ${Buffer.from('worker:secret').toString('base64')}`],
    ['a user’s API key as Bearer', 'API_KEY'],
  ];
  const auth = (v: string | null) => (v === 'TOKEN' ? j.token : v === 'API_KEY' ? `Bearer ${apiKey}` : v);

  it.each(BAD)('%s → 401 on lease and heartbeat; the lease is not extended', async (_label, header) => {
    const before = await jobRow(j.id);
    expectError(await leaseWith(auth(header)), 401, 'unauthorized');
    expectError(await heartbeat(auth(header), { worker_id: j.workerId, job_id: j.id, attempt: 1 }), 401, 'unauthorized');
    expect(await jobRow(j.id)).toEqual(before);
  });

  it('a revoked token → 401 on lease and on the heartbeat of the lease it held', async () => {
    const before = await jobRow(revoked.id);
    expectError(await leaseWith(`Bearer ${revoked.token}`), 401, 'unauthorized');
    expectError(await heartbeat(`Bearer ${revoked.token}`, { worker_id: revoked.workerId, job_id: revoked.id, attempt: 1 }), 401, 'unauthorized');
    expect((await jobRow(revoked.id)).leaseExpiresAt).toEqual(before.leaseExpiresAt);
  });

  it('another live token, or the same token under another worker name, gets no lease on J and extends nothing', async () => {
    const before = await jobRow(j.id);
    for (const [token, workerId] of [[foreign.token, j.workerId], [j.token, 'w-someone-else'], [foreign.token, foreign.workerId]] as const) {
      const res = await heartbeat(`Bearer ${token}`, { worker_id: workerId, job_id: j.id, attempt: 1 });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ cancel: false, lease_expires_at: null });
    }
    expect((await jobRow(j.id)).leaseExpiresAt).toEqual(before.leaseExpiresAt);
    const own = await heartbeat(`Bearer ${j.token}`, { worker_id: j.workerId, job_id: j.id, attempt: 1 });
    expect(own.body.lease_expires_at).not.toBeNull();
  });

  it('a worker token never reads another job: no lease of a held job, no access to the user API', async () => {
    // Every job here is leased already: another token gets nothing, not J's spec again.
    expect((await leaseWith(`Bearer ${foreign.token}`)).status).toBe(204);
    for (const headers of [{ authorization: `Bearer ${j.token}` }, { 'x-api-key': j.token }] as Record<string, string>[]) {
      const res = await call(jobRoute.GET, `/api/lora/jobs/${j.id}`, { params: { id: j.id }, headers });
      expect(res.status).toBe(401);
      expect(JSON.stringify(res.body)).not.toContain(j.spec.dataset.sha256);
    }
    // Its attempt key signs only its own job's events.
    const forged = await sendEvent({ type: 'job.progress', job_id: sibling.id, attempt: 1, seq: 0, data: { step: 1, total_steps: 50, stage: 'training' } }, { secret: j.secret });
    expectError(forged, 401, 'unauthorized');
    expect(await jobRow(sibling.id)).toMatchObject({ status: 'dispatched', lastSeq: -1 });
  });
});

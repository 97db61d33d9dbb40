// Push mode: the worker's HTTP server, driven the way the control plane drives it — signed
// job specs and cancels — with events flowing back to the stand-in, signed with the key
// derived for each job attempt.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedHeaders, generateWebhookSecret, PushAccepted, type JobSpec, type WorkerEventOf } from '@lora-studio/protocol';
import { silentLogger } from '../src/io/logger.ts';
import { startPushServer, type PushServer } from '../src/push/server.ts';
import { ControlPlaneStandIn, sha256 } from './harness/control-plane.ts';
import { FAST, imageZip, leftovers, tempRoot } from './harness/fixtures.ts';
import { testBackend, type TestBackend } from './harness/test-backend.ts';

let cp: ControlPlaneStandIn;
let server: PushServer;
let root: string;
let backend: TestBackend;
// The app's WORKER_HMAC_SECRET; the stand-in derives each attempt's event key from it too.
const secret = () => cp.master;

beforeAll(async () => {
  cp = await ControlPlaneStandIn.start();
  cp.addDataset('images.zip', imageZip());
  root = tempRoot();
  backend = testBackend({ pauseAt: 2 });
  server = await startPushServer({
    port: 0,
    host: '127.0.0.1',
    secret: secret(),
    workerId: 'w-push',
    backends: [backend],
    gpu: null,
    concurrency: 2,
    workRoot: root,
    log: silentLogger,
    controlPlane: cp.url,
    jobOptions: FAST,
  });
});
afterAll(async () => {
  await server.shutdown('test over');
  await cp.stop();
  rmSync(root, { recursive: true, force: true });
});

function post(path: string, body: string, headers: Record<string, string>) {
  return fetch(`${server.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
}

function signed(body: string, overrides: { secret?: string; now?: number } = {}) {
  return buildSignedHeaders({ body, secret: overrides.secret ?? secret(), ...(overrides.now ? { now: overrides.now } : {}) });
}

const pushSpec = (jobId: string, steps = 3): JobSpec => cp.makeSpec({ jobId, dataset: { name: 'images.zip', format: 'images-zip' }, steps, pull: false });

describe('push mode', () => {
  it('accepts a signed job spec with 202 and runs it to job.succeeded', async () => {
    const quick = await startPushServer({
      port: 0, host: '127.0.0.1', secret: secret(), workerId: 'w-push-quick', backends: [testBackend()], gpu: null,
      concurrency: 1, workRoot: root, log: silentLogger, jobOptions: FAST,
    });
    const body = JSON.stringify(pushSpec('job_push_ok'));
    const res = await fetch(`${quick.url}/v1/jobs`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...signed(body) } });
    expect(res.status).toBe(202);
    const { external_job_id } = PushAccepted.parse(await res.json());
    expect(external_job_id).toMatch(/^wj_/);
    const terminal = (await cp.waitForTerminal('job_push_ok')) as WorkerEventOf<'job.succeeded'>;
    await quick.shutdown('test over');
    expect(terminal.type).toBe('job.succeeded');
    const events = cp.eventsOf('job_push_ok');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({ type: 'job.started', data: { worker_id: 'w-push-quick' } });
    expect(sha256(cp.objects.get(terminal.data.artifact.key)!.bytes)).toBe(terminal.data.artifact.sha256);
    expect(leftovers(root)).toEqual([]);
  });

  it('answers 401 to a bad signature and to a timestamp 10 minutes old, before parsing', async () => {
    const body = JSON.stringify(pushSpec('job_push_badsig'));
    const wrongKey = await post('/v1/jobs', body, signed(body, { secret: generateWebhookSecret() }));
    expect(wrongKey.status).toBe(401);
    expect(await wrongKey.json()).toMatchObject({ error: { code: 'unauthorized', message: expect.stringMatching(/signature/) } });
    const old = await post('/v1/jobs', body, signed(body, { now: Math.floor(Date.now() / 1000) - 600 }));
    expect(old.status).toBe(401);
    expect((await old.json()).error.message).toMatch(/too old/);
    const unsignedGarbage = await post('/v1/jobs', '{not json', {});
    expect(unsignedGarbage.status).toBe(401);
    expect(cp.eventsOf('job_push_badsig')).toEqual([]);
  });

  it('answers 409 to a replayed webhook-id', async () => {
    const body = JSON.stringify({ not: 'a spec' });
    const headers = signed(body);
    expect((await post('/v1/jobs', body, headers)).status).toBe(422);
    const replay = await post('/v1/jobs', body, headers);
    expect(replay.status).toBe(409);
    expect(await replay.json()).toMatchObject({ error: { code: 'conflict', message: expect.stringMatching(/replay/) } });
  });

  it('answers 422 with the Zod issues to a signed but invalid spec, and 400 to signed non-JSON', async () => {
    const spec = { ...pushSpec('job_push_invalid'), attempt: 0, dataset: { ...pushSpec('job_push_invalid').dataset, sha256: 'nope' } };
    const body = JSON.stringify(spec);
    const res = await post('/v1/jobs', body, signed(body));
    expect(res.status).toBe(422);
    const { error } = await res.json();
    expect(error.code).toBe('unprocessable_entity');
    expect(error.details.map((d: { path: string }) => d.path).sort()).toEqual(['attempt', 'dataset.sha256']);
    const notJson = await post('/v1/jobs', '{oops', signed('{oops'));
    expect(notJson.status).toBe(400);
  });

  it('refuses a spec whose callbacks point away from --control-plane', async () => {
    const spec = pushSpec('job_push_elsewhere');
    spec.callback.events_url = 'http://attacker.example/collect';
    const body = JSON.stringify(spec);
    const res = await post('/v1/jobs', body, signed(body));
    expect(res.status).toBe(422);
    expect((await res.json()).error.message).toMatch(/not on the control plane/);
  });

  it('cancels a running job through POST /v1/jobs/:id/cancel, idempotent re-dispatch included', async () => {
    const body = JSON.stringify(pushSpec('job_push_cancel', 5));
    const first = await post('/v1/jobs', body, signed(body));
    const { external_job_id } = PushAccepted.parse(await first.json());
    await backend.paused;
    // The control plane re-sends a dispatch it did not see answered (new webhook-id): same job.
    const again = await post('/v1/jobs', body, signed(body));
    expect(again.status).toBe(202);
    expect(PushAccepted.parse(await again.json()).external_job_id).toBe(external_job_id);

    const health = await (await fetch(`${server.url}/healthz`)).json();
    expect(health).toMatchObject({ status: 'ok', worker_id: 'w-push', running: 1 });

    const unsignedCancel = await post(`/v1/jobs/${external_job_id}/cancel`, '', {});
    expect(unsignedCancel.status).toBe(401);
    const unknown = await post('/v1/jobs/wj_nope/cancel', '', signed(''));
    expect(unknown.status).toBe(404);
    const cancel = await post(`/v1/jobs/${external_job_id}/cancel`, '', signed(''));
    expect(cancel.status).toBe(202);
    const terminal = await cp.waitForTerminal('job_push_cancel');
    expect(terminal).toMatchObject({ type: 'job.canceled', data: { reason: 'canceled on the control plane' } });
    expect(cp.eventsOf('job_push_cancel').filter((e) => e.type === 'job.started')).toHaveLength(1);
  });
});

// Defence in depth (issue #11 / #9): the worker checks a spec's params with the protocol's
// strict TrainingParams before any backend runs or any command line is built, so a modified or
// compromised control plane cannot inject an optimizer `module.Class` or an extra flag either.
// Pull: the job is reported failed (invalid_params, not retryable). Push: the spec is refused.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSignedHeaders, deriveJobSigningSecret, type JobSpec, type WorkerEventOf } from '@lora-studio/protocol';
import { buildCapabilities } from '../src/capabilities.ts';
import { silentLogger } from '../src/io/logger.ts';
import { startPullWorker } from '../src/pull/worker.ts';
import { startPushServer } from '../src/push/server.ts';
import { startJob } from '../src/runner/job.ts';
import { ControlPlaneStandIn } from './harness/control-plane.ts';
import { FAST, imageZip, tempRoot } from './harness/fixtures.ts';
import { testBackend } from './harness/test-backend.ts';

let cp: ControlPlaneStandIn;
let root: string;
beforeAll(async () => {
  cp = await ControlPlaneStandIn.start();
  root = tempRoot();
  cp.addDataset('images.zip', imageZip());
});
afterAll(async () => {
  await cp.stop();
  rmSync(root, { recursive: true, force: true });
});

type LooseParams = Record<string, unknown>;
const BAD: [string, LooseParams, string][] = [
  ['a free-form optimizer', { optimizer: 'bitsandbytes.optim.AdamW8bit' }, 'params.optimizer'],
  ['os.system as optimizer', { optimizer: 'os.system' }, 'params.optimizer'],
  ['a free-form scheduler', { scheduler: 'torch.optim.lr_scheduler.LambdaLR' }, 'params.scheduler'],
  ['an unknown key', { network_module: 'evil.module' }, 'params.network_module'],
];

const badSpec = (jobId: string, params: LooseParams, pull = true) =>
  cp.makeSpec({ jobId, dataset: { name: 'images.zip', format: 'images-zip' }, steps: 2, params: params as JobSpec['params'], pull });

describe('the worker refuses params outside the strict schema', () => {
  it.each(BAD)('runner: %s → job.failed invalid_params naming the field; the backend never runs', async (_, params, field) => {
    const jobId = `job_strict_${field.replace(/\W/g, '_')}_${Object.values(params)[0]!.toString().length}`;
    const spec = badSpec(jobId, params);
    let ran = false;
    const backend = testBackend({ cannotRun: () => ((ran = true), null) });
    const outcome = await startJob(spec, { ...FAST, workerId: 'w-strict', backends: [backend], gpu: null, workRoot: root, signingSecret: deriveJobSigningSecret(cp.master, jobId, 1), log: silentLogger }).done;
    expect(outcome).toMatchObject({ status: 'failed', code: 'invalid_params' });
    // Nothing but the failure (and its log line): no job.started, no progress.
    const events = cp.eventsOf(jobId).filter((e) => e.type !== 'job.log');
    expect(events.map((e) => e.type)).toEqual(['job.failed']);
    const failed = events[0] as WorkerEventOf<'job.failed'>;
    expect(failed.data).toMatchObject({ code: 'invalid_params', retryable: false });
    expect(failed.data.message).toContain(field);
    expect(ran).toBe(false);
    expect(Object.keys(backend.datasetSeen)).toEqual([]);
  });

  it('pull: a leased spec with a free-form optimizer is reported failed, not run and not left to expire', async () => {
    const w = startPullWorker({
      controlPlane: cp.url,
      token: cp.token,
      workerId: 'w-strict-pull',
      capabilities: buildCapabilities({ backends: ['cpu-reference'], gpu: null }),
      backends: [testBackend()],
      concurrency: 1,
      workRoot: root,
      log: silentLogger,
      idleMs: 50,
      jobOptions: FAST,
    });
    cp.enqueue(badSpec('job_strict_pull', { optimizer: 'os.system' }));
    const terminal = (await cp.waitForTerminal('job_strict_pull')) as WorkerEventOf<'job.failed'>;
    await w.shutdown('test over');
    expect(terminal.type).toBe('job.failed');
    expect(terminal.data).toMatchObject({ code: 'invalid_params', retryable: false });
    expect(cp.eventsOf('job_strict_pull').filter((e) => e.type !== 'job.log').map((e) => e.type)).toEqual(['job.failed']);
  });

  it('push: a signed spec with an unknown params key or a free-form scheduler → 422 naming the field; nothing runs', async () => {
    let ran = false;
    const server = await startPushServer({
      port: 0, host: '127.0.0.1', secret: cp.master, workerId: 'w-strict-push', backends: [testBackend({ cannotRun: () => ((ran = true), null) })], gpu: null,
      concurrency: 1, workRoot: root, log: silentLogger, controlPlane: cp.url, jobOptions: FAST,
    });
    try {
      for (const [jobId, params, field] of [['job_strict_push_a', { lr_scheduler_type: 'os.system' }, 'params.lr_scheduler_type'], ['job_strict_push_b', { scheduler: 'one_cycle' }, 'params.scheduler']] as const) {
        const body = JSON.stringify(badSpec(jobId, params, false));
        const res = await fetch(`${server.url}/v1/jobs`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...buildSignedHeaders({ body, secret: cp.master }) } });
        expect(res.status).toBe(422);
        const { error } = (await res.json()) as { error: { code: string; message: string; details: { path: string }[] } };
        expect(error.code).toBe('unprocessable_entity');
        expect(`${error.message} ${error.details.map((d) => d.path).join(' ')}`).toContain(field);
        expect(cp.eventsOf(jobId)).toEqual([]);
      }
      expect(ran).toBe(false);
    } finally {
      await server.shutdown('test over');
    }
  });
});

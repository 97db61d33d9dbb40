// Pull mode against the control-plane stand-in: lease → run → signed events → uploads →
// terminal event; cancel through the heartbeat; a wrong token; shutdown mid-run.
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerEventOf } from '@lora-studio/protocol';
import { buildCapabilities } from '../src/capabilities.ts';
import { silentLogger } from '../src/io/logger.ts';
import { PullAuthError, startPullWorker, type PullWorkerOptions } from '../src/pull/worker.ts';
import type { TrainerBackend } from '../src/backends/types.ts';
import { ControlPlaneStandIn, sha256 } from './harness/control-plane.ts';
import { FAST, imageZip, leftovers, tempRoot } from './harness/fixtures.ts';
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

function worker(backends: TrainerBackend[], extra: Partial<PullWorkerOptions> = {}) {
  return startPullWorker({
    controlPlane: cp.url,
    token: cp.token,
    workerId: 'w-pull',
    capabilities: buildCapabilities({ backends: ['cpu-reference'], gpu: null }),
    backends,
    concurrency: 1,
    workRoot: root,
    log: silentLogger,
    idleMs: 50,
    jobOptions: FAST,
    ...extra,
  });
}

describe('pull mode', () => {
  it('leases a job, reports signed events in seq order and uploads an artifact with a matching sha256', async () => {
    const spec = cp.makeSpec({ jobId: 'job_pull_ok', dataset: { name: 'images.zip', format: 'images-zip' }, steps: 3, checkpoints: 1 });
    const w = worker([testBackend({ checkpointEvery: 3 })]);
    await once(cp, 'idle-lease'); // nothing queued yet: 204, and the worker polls again
    cp.enqueue(spec);
    const terminal = await cp.waitForTerminal('job_pull_ok');
    await w.shutdown('test over');

    expect(cp.leaseRequests[0]).toEqual({
      worker_id: 'w-pull',
      capabilities: { modalities: ['image', 'text'], base_families: ['tiny', 'flux', 'sdxl', 'llama', 'qwen', 'mistral'], backends: ['cpu-reference'], gpu: null },
      max_jobs: 1,
    });
    const events = cp.eventsOf('job_pull_ok');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]?.type).toBe('job.started');
    expect(terminal.type).toBe('job.succeeded');
    const { artifact } = (terminal as WorkerEventOf<'job.succeeded'>).data;
    expect(artifact.sha256).toBe(sha256(cp.objects.get(spec.outputs.artifact.key)!.bytes));
    expect(cp.objects.has(spec.outputs.checkpoints[0]!.key)).toBe(true);
    expect(leftovers(root)).toEqual([]);
  });

  it('cancels a running job when the heartbeat answers cancel: true', async () => {
    const backend = testBackend({ pauseAt: 2 });
    const spec = cp.makeSpec({ jobId: 'job_pull_cancel', dataset: { name: 'images.zip', format: 'images-zip' }, heartbeatSeconds: 1 });
    cp.enqueue(spec);
    const w = worker([backend]);
    await backend.paused;
    cp.cancel('job_pull_cancel');
    const terminal = await cp.waitForTerminal('job_pull_cancel');
    await w.shutdown('test over');
    expect(terminal).toMatchObject({ type: 'job.canceled', data: { reason: 'canceled on the control plane' } });
    expect(cp.heartbeats.some((h) => h.job_id === 'job_pull_cancel' && h.worker_id === 'w-pull' && h.attempt === 1)).toBe(true);
    expect(cp.eventsOf('job_pull_cancel').some((e) => e.type === 'job.succeeded')).toBe(false);
  });

  it('reports a running job as worker_shutdown (retryable) when shut down', async () => {
    const backend = testBackend({ pauseAt: 2 });
    cp.enqueue(cp.makeSpec({ jobId: 'job_pull_shutdown', dataset: { name: 'images.zip', format: 'images-zip' } }));
    const w = worker([backend]);
    await backend.paused;
    await w.shutdown('SIGTERM');
    const terminal = cp.terminalOf('job_pull_shutdown') as WorkerEventOf<'job.failed'>;
    expect(terminal.data).toMatchObject({ code: 'worker_shutdown', retryable: true });
    expect(terminal.data.message).toContain('SIGTERM');
    await expect(w.done).resolves.toBeUndefined();
  });

  it('stops with a clear error when the control plane refuses the token', async () => {
    const w = worker([testBackend()], { token: 'wrong' });
    const err = await w.done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PullAuthError);
    expect((err as Error).message).toMatch(/refused the worker token .*HTTP 401.*check --token/);
  });
});

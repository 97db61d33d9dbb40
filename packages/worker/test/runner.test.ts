// runner/: one job attempt end to end against the control-plane stand-in, with a small real
// backend: what is downloaded, what is uploaded, which events leave in which order, and how
// each kind of failure is reported.
import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveJobSigningSecret, type WorkerEvent, type WorkerEventOf } from '@lora-studio/protocol';
import { silentLogger } from '../src/io/logger.ts';
import { startJob, type JobDeps } from '../src/runner/job.ts';
import type { TrainerBackend } from '../src/backends/types.ts';
import { ControlPlaneStandIn, sha256 } from './harness/control-plane.ts';
import { FAST, imageZip, leftovers, tempRoot } from './harness/fixtures.ts';
import { testBackend } from './harness/test-backend.ts';
import { rawZip } from './harness/zip.ts';

let cp: ControlPlaneStandIn;
let root: string;
beforeAll(async () => {
  cp = await ControlPlaneStandIn.start();
  root = tempRoot();
  cp.addDataset('images.zip', imageZip());
  cp.addDataset('chat.jsonl', Buffer.from('{"messages":[{"role":"user","content":"hi"}]}\n'));
});
afterAll(async () => {
  await cp.stop();
  rmSync(root, { recursive: true, force: true });
});

function deps(spec: { job_id: string; attempt: number }, backends: TrainerBackend[]): JobDeps {
  return {
    ...FAST,
    workerId: 'w-runner',
    backends,
    gpu: null,
    workRoot: root,
    signingSecret: deriveJobSigningSecret(cp.master, spec.job_id, spec.attempt),
    log: silentLogger,
  };
}

const failure = (e: WorkerEvent | undefined) => {
  expect(e?.type).toBe('job.failed');
  return (e as WorkerEventOf<'job.failed'>).data;
};

describe('runJob', () => {
  it('runs a job: events in seq order, outputs uploaded with matching digests, work dir removed', async () => {
    const backend = testBackend({ checkpointEvery: 2, sampleAt: [3], extraFiles: ['adapter_config.json'] });
    const spec = cp.makeSpec({ jobId: 'job_run_ok', dataset: { name: 'images.zip', format: 'images-zip' }, steps: 4, checkpoints: 3, samples: 1, extraFiles: ['adapter_config.json'] });
    const outcome = await startJob(spec, deps(spec, [backend])).done;
    expect(outcome).toEqual({ status: 'succeeded', code: null, delivered: true });

    const events = cp.eventsOf('job_run_ok');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(events[0]).toMatchObject({ type: 'job.started', data: { worker_id: 'w-runner', backend: 'cpu-reference', gpu: null } });
    const stages = events.filter((e) => e.type === 'job.progress').map((e) => (e as WorkerEventOf<'job.progress'>).data.stage);
    expect(stages[0]).toBe('downloading');
    expect(stages).toContain('training');
    expect(stages.at(-1)).toBe('uploading');
    expect(events.at(-1)?.type).toBe('job.succeeded');

    // The backend saw exactly the files in the zip.
    expect(Object.keys(backend.datasetSeen).sort()).toEqual(['img/001.png', 'img/001.txt', 'img/002.png', 'img/002.txt']);
    expect(backend.datasetSeen['img/001.txt']).toBe(sha256('tst, a red cube'));

    const metrics = events.filter((e) => e.type === 'job.metrics') as WorkerEventOf<'job.metrics'>[];
    expect(metrics.map((m) => m.data.loss)).toEqual([1, 1 / 2, 1 / 3, 1 / 4]);
    expect(metrics[0]?.data).toMatchObject({ learning_rate: 1e-4, throughput: 2.5 });

    const checkpoints = events.filter((e) => e.type === 'job.checkpoint') as WorkerEventOf<'job.checkpoint'>[];
    expect(checkpoints.map((c) => [c.data.step, c.data.key])).toEqual([
      [2, spec.outputs.checkpoints[0]!.key],
      [4, spec.outputs.checkpoints[1]!.key],
    ]);
    for (const c of checkpoints) expect(sha256(cp.objects.get(c.data.key)!.bytes)).toBe(c.data.sha256);
    const sample = events.find((e) => e.type === 'job.sample') as WorkerEventOf<'job.sample'>;
    expect(sample.data).toEqual({ step: 3, key: spec.outputs.samples[0]!.key, content_type: 'image/png', prompt: 'a test prompt' });

    const done = events.at(-1) as WorkerEventOf<'job.succeeded'>;
    const artifact = cp.objects.get(spec.outputs.artifact.key)!;
    expect(done.data.artifact).toEqual({ key: spec.outputs.artifact.key, sha256: sha256(artifact.bytes), bytes: artifact.bytes.length });
    expect(done.data.files).toEqual([{ name: 'adapter_config.json', key: spec.outputs.extra_files['adapter_config.json']!.key, sha256: expect.any(String), bytes: expect.any(Number) }]);
    expect(sha256(cp.objects.get(done.data.files[0]!.key)!.bytes)).toBe(done.data.files[0]!.sha256);
    expect(done.data.summary).toMatchObject({ final_loss: 0.25, steps: 4, wall_seconds: expect.any(Number) });
    expect(done.data.gpu_seconds).toBe(0);

    const log = cp.objects.get(spec.outputs.logs.key)!.bytes.toString();
    expect(log).toContain('step 4 line 0 loss 0.2500');
    expect(log).toContain('[worker] dataset verified (sha256 matches) and unpacked: 4 files');
    expect(leftovers(root)).toEqual([]);
  });

  it('puts a jsonl dataset at dataset/data.jsonl', async () => {
    const backend = testBackend();
    const spec = cp.makeSpec({ jobId: 'job_run_jsonl', dataset: { name: 'chat.jsonl', format: 'jsonl' }, steps: 1 });
    expect((await startJob(spec, deps(spec, [backend])).done).status).toBe('succeeded');
    expect(Object.keys(backend.datasetSeen)).toEqual(['data.jsonl']);
  });

  it('fails a corrupted dataset with dataset_checksum_mismatch, naming both digests, before training', async () => {
    const good = Buffer.from('{"messages":[]}\n'.repeat(50));
    const bad = Buffer.from(good);
    bad[10] = bad[10]! ^ 0xff;
    cp.addDataset('corrupt.jsonl', good, { servedBytes: bad });
    const backend = testBackend();
    const spec = cp.makeSpec({ jobId: 'job_run_corrupt', dataset: { name: 'corrupt.jsonl', format: 'jsonl' } });
    const outcome = await startJob(spec, deps(spec, [backend])).done;
    expect(outcome).toMatchObject({ status: 'failed', code: 'dataset_checksum_mismatch' });
    const data = failure(cp.terminalOf('job_run_corrupt'));
    expect(data.retryable).toBe(false);
    expect(data.message).toContain(`expected sha256 ${sha256(good)}`);
    expect(data.message).toContain(`has sha256 ${sha256(bad)}`);
    expect(cp.eventsOf('job_run_corrupt').some((e) => e.type === 'job.progress' && e.data.stage === 'training')).toBe(false);
    expect(backend.datasetSeen).toEqual({});
    expect(leftovers(root)).toEqual([]);
  });

  it('refuses a zip-slip archive without writing outside the job folder', async () => {
    cp.addDataset('slip.zip', rawZip([{ name: 'ok.png', data: 'x' }, { name: '../../escaped.txt', data: 'pwned' }]));
    const spec = cp.makeSpec({ jobId: 'job_run_slip', dataset: { name: 'slip.zip', format: 'images-zip' } });
    const outcome = await startJob(spec, deps(spec, [testBackend()])).done;
    expect(outcome.code).toBe('dataset_unsafe_archive');
    expect(failure(cp.terminalOf('job_run_slip')).message).toMatch(/\.\.\/\.\.\/escaped\.txt/);
    expect(leftovers(root)).toEqual([]);
  });

  it('fails with no_backend (and no job.started) when no registered backend can run the job', async () => {
    const backend = testBackend({ cannotRun: () => 'only trains tiny image models' });
    const spec = cp.makeSpec({ jobId: 'job_run_nobackend', dataset: { name: 'chat.jsonl', format: 'jsonl' } });
    expect((await startJob(spec, deps(spec, [backend])).done).code).toBe('no_backend');
    const events = cp.eventsOf('job_run_nobackend');
    expect(events.some((e) => e.type === 'job.started')).toBe(false);
    expect(failure(events.at(-1)).message).toMatch(/cpu-reference: only trains tiny image models/);
  });

  it("reports a BackendFailed with the backend's code, last lines and retryable flag", async () => {
    const spec = cp.makeSpec({ jobId: 'job_run_oom', dataset: { name: 'chat.jsonl', format: 'jsonl' }, steps: 5 });
    await startJob(spec, deps(spec, [testBackend({ failAt: 3 })])).done;
    const data = failure(cp.terminalOf('job_run_oom'));
    expect(data).toMatchObject({ code: 'cuda_oom', retryable: true, message: 'CUDA out of memory at step 3' });
    expect(data.last_lines.at(-1)).toBe('torch.OutOfMemoryError: CUDA out of memory');
  });

  it('fails clearly when the backend produced a file the spec has no slot for', async () => {
    const spec = cp.makeSpec({ jobId: 'job_run_noslot', dataset: { name: 'chat.jsonl', format: 'jsonl' }, steps: 1 });
    await startJob(spec, deps(spec, [testBackend({ extraFiles: ['tokenizer.json'] })])).done;
    const data = failure(cp.terminalOf('job_run_noslot'));
    expect(data.code).toBe('missing_output_slot');
    expect(data.message).toMatch(/outputs\.extra_files\["tokenizer\.json"\]/);
    expect(cp.objects.has(spec.outputs.artifact.key)).toBe(false); // nothing half-published
  });

  it('stops a job at its deadline with deadline_exceeded', async () => {
    const backend = testBackend({ pauseAt: 2 });
    const spec = cp.makeSpec({ jobId: 'job_run_deadline', dataset: { name: 'chat.jsonl', format: 'jsonl' }, deadline: new Date(Date.now() + 1500) });
    const outcome = await startJob(spec, deps(spec, [backend])).done;
    expect(outcome.code).toBe('deadline_exceeded');
    expect(failure(cp.terminalOf('job_run_deadline')).retryable).toBe(false);
  });

  it('batches log lines into job.log events of at most 500 lines of at most 8 KB each', async () => {
    const long = 'é'.repeat(10_000); // 20 KB of UTF-8
    const noisy: TrainerBackend = {
      id: 'cpu-reference',
      cannotRun: () => null,
      async run(ctx) {
        ctx.emit({ type: 'log', lines: Array.from({ length: 1200 }, (_, i) => `line ${i}`) });
        ctx.emit({ type: 'log', stream: 'stderr', lines: [long] });
        const path = `${ctx.workDir}/a.safetensors`;
        (await import('node:fs')).writeFileSync(path, 'x');
        return { artifactPath: path, extraFiles: [], summary: {} };
      },
    };
    const spec = cp.makeSpec({ jobId: 'job_run_logs', dataset: { name: 'chat.jsonl', format: 'jsonl' } });
    await startJob(spec, deps(spec, [noisy])).done;
    const logs = cp.eventsOf('job_run_logs').filter((e) => e.type === 'job.log') as WorkerEventOf<'job.log'>[];
    const stdout = logs.filter((l) => l.data.stream === 'stdout');
    expect(stdout.every((l) => l.data.lines.length <= 500)).toBe(true);
    expect(stdout.flatMap((l) => l.data.lines)).toEqual(Array.from({ length: 1200 }, (_, i) => `line ${i}`));
    const stderr = logs.find((l) => l.data.stream === 'stderr')!.data.lines[0]!;
    expect(Buffer.byteLength(stderr)).toBeLessThanOrEqual(8 * 1024);
    expect(stderr.endsWith('…')).toBe(true);
    expect(createHash('sha256').update(stderr).digest('hex')).not.toBe(sha256(long));
  });
});

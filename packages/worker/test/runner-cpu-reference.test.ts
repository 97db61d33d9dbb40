// The runner with the real cpu-reference backend (a few steps): the same path a laptop
// `npm start` takes, from a zip of real PNGs to an uploaded kohya-layout artifact.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { deriveJobSigningSecret, parseSafetensorsHeader, type WorkerEventOf } from '@lora-studio/protocol';
import { cpuReferenceBackend } from '../src/backends/cpu-reference/index.ts';
import { silentLogger } from '../src/io/logger.ts';
import { startJob } from '../src/runner/job.ts';
import { ControlPlaneStandIn, sha256 } from './harness/control-plane.ts';
import { FAST, leftovers, tempRoot } from './harness/fixtures.ts';
import { pngZip } from './harness/images.ts';

let cp: ControlPlaneStandIn;
let root: string;
beforeAll(async () => {
  cp = await ControlPlaneStandIn.start();
  root = tempRoot();
  cp.addDataset('pngs.zip', await pngZip());
});
afterAll(async () => {
  await cp.stop();
  rmSync(root, { recursive: true, force: true });
});

it('trains an image LoRA with cpu-reference and uploads it', async () => {
  const spec = cp.makeSpec({ jobId: 'job_cpu_ref', dataset: { name: 'pngs.zip', format: 'images-zip', count: 4 }, steps: 6, family: 'sdxl', checkpoints: 2, samples: 2, params: { save_every: 3, sample_every: 3, resolution: 256 } });
  const outcome = await startJob(spec, {
    ...FAST,
    workerId: 'w-cpu',
    backends: [cpuReferenceBackend],
    gpu: null,
    workRoot: root,
    signingSecret: deriveJobSigningSecret(cp.master, spec.job_id, spec.attempt),
    log: silentLogger,
  }).done;
  expect(outcome.status).toBe('succeeded');

  const events = cp.eventsOf('job_cpu_ref');
  expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
  const losses = events.filter((e) => e.type === 'job.metrics').map((e) => (e as WorkerEventOf<'job.metrics'>).data.loss);
  expect(losses.length).toBeGreaterThan(0);
  expect(losses.every((l) => typeof l === 'number' && Number.isFinite(l))).toBe(true);
  const logLines = events.filter((e) => e.type === 'job.log').flatMap((e) => (e as WorkerEventOf<'job.log'>).data.lines);
  expect(logLines.some((l) => /standing in for tiny-test \(sdxl\)/.test(l))).toBe(true);

  const checkpoint = events.find((e) => e.type === 'job.checkpoint') as WorkerEventOf<'job.checkpoint'>;
  expect(checkpoint.data).toMatchObject({ step: 3, key: spec.outputs.checkpoints[0]!.key });
  expect(sha256(cp.objects.get(checkpoint.data.key)!.bytes)).toBe(checkpoint.data.sha256);
  const sample = events.find((e) => e.type === 'job.sample') as WorkerEventOf<'job.sample'>;
  expect(sample.data).toMatchObject({ key: spec.outputs.samples[0]!.key, content_type: 'image/png' });

  const done = events.at(-1) as WorkerEventOf<'job.succeeded'>;
  expect(done.type).toBe('job.succeeded');
  const artifact = cp.objects.get(done.data.artifact.key)!.bytes;
  expect(sha256(artifact)).toBe(done.data.artifact.sha256);
  const header = parseSafetensorsHeader(artifact);
  expect(Object.keys(header.tensors).some((k) => k.endsWith('.lora_down.weight'))).toBe(true);
  expect(leftovers(root)).toEqual([]);
});

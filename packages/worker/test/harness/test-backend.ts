// A small real TrainerBackend for the worker tests: it reads the unpacked dataset, "trains"
// for a few steps (emitting progress, metrics and logs), writes checkpoint, sample and
// artifact files, and honours its AbortSignal. It can pause at a step until the test opens a
// gate, so "mid-run" is a state the test waits for, not a moment it guesses.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BackendCanceled, BackendFailed, type BackendId, type TrainerBackend } from '../../src/backends/types.ts';
import type { JobSpec } from '@lora-studio/protocol';

export interface TestBackendOptions {
  id?: BackendId;
  /** Pause before this step until `open()` (or forever, until aborted). */
  pauseAt?: number;
  checkpointEvery?: number;
  sampleAt?: number[];
  extraFiles?: string[];
  logLinesPerStep?: number;
  /** Throw BackendFailed at this step. */
  failAt?: number;
  cannotRun?: (spec: JobSpec) => string | null;
}

export interface TestBackend extends TrainerBackend {
  /** Resolves when the run reaches `pauseAt`. */
  readonly paused: Promise<void>;
  open(): void;
  /** Relative path → sha256 of the dataset files the last run saw. */
  datasetSeen: Record<string, string>;
}

function listFiles(dir: string, root = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(join(dir, d.name), root) : [relative(root, join(dir, d.name))],
  );
}

export function testBackend(o: TestBackendOptions = {}): TestBackend {
  let reached!: () => void;
  let opened!: () => void;
  const paused = new Promise<void>((r) => (reached = r));
  const gate = new Promise<void>((r) => (opened = r));
  const backend: TestBackend = {
    id: o.id ?? 'cpu-reference',
    paused,
    open: () => opened(),
    datasetSeen: {},
    cannotRun: (spec) => o.cannotRun?.(spec) ?? null,
    async run(ctx) {
      const aborted = new Promise<never>((_, reject) => {
        const fail = () => reject(new BackendCanceled());
        if (ctx.signal.aborted) fail();
        ctx.signal.addEventListener('abort', fail, { once: true });
      });
      aborted.catch(() => {});
      backend.datasetSeen = Object.fromEntries(
        listFiles(ctx.datasetDir).map((f) => [f, createHash('sha256').update(readFileSync(join(ctx.datasetDir, f))).digest('hex')]),
      );
      const steps = ctx.spec.params.steps ?? 5;
      for (let step = 1; step <= steps; step++) {
        if (step === o.pauseAt) {
          reached();
          await Promise.race([gate, aborted]);
        }
        await Promise.race([new Promise((r) => setImmediate(r)), aborted]);
        if (step === o.failAt) throw new BackendFailed('cuda_oom', 'CUDA out of memory at step ' + step, ['Traceback …', 'torch.OutOfMemoryError: CUDA out of memory'], true);
        ctx.emit({ type: 'progress', step, totalSteps: steps });
        ctx.emit({ type: 'metrics', step, loss: 1 / step, learningRate: 1e-4, throughput: 2.5 });
        const n = o.logLinesPerStep ?? 1;
        ctx.emit({ type: 'log', lines: Array.from({ length: n }, (_, i) => `step ${step} line ${i} loss ${(1 / step).toFixed(4)}`) });
        if (o.checkpointEvery && step % o.checkpointEvery === 0) {
          const path = join(ctx.workDir, `ckpt-${step}.safetensors`);
          writeFileSync(path, `checkpoint ${step} ${ctx.spec.job_id}`);
          ctx.emit({ type: 'checkpoint', step, path });
        }
        if (o.sampleAt?.includes(step)) {
          const path = join(ctx.workDir, `sample-${step}.png`);
          writeFileSync(path, Buffer.from(`\x89PNG sample ${step}`));
          ctx.emit({ type: 'sample', step, path, contentType: 'image/png', prompt: 'a test prompt' });
        }
      }
      const artifactPath = join(ctx.workDir, 'lora.safetensors');
      writeFileSync(artifactPath, `LORA ${ctx.spec.job_id} ${JSON.stringify(backend.datasetSeen)}`);
      const extraFiles = (o.extraFiles ?? []).map((name) => {
        const path = join(ctx.workDir, name);
        writeFileSync(path, JSON.stringify({ name, r: 4 }));
        return { name, path, contentType: 'application/json' };
      });
      return { artifactPath, extraFiles, summary: { final_loss: 1 / steps, steps, backend: 'test' } };
    },
  };
  return backend;
}

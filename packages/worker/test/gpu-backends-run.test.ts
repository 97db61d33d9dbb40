// run() end to end with fake tools: real processes, real pipes, real files. Each fake replays
// a recorded log the way the tool prints it and writes the files the tool would write.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSpec } from '@lora-studio/protocol';
import { createAiToolkitBackend, createAxolotlBackend, createKohyaBackend, type GpuToolConfig } from '../src/backends/gpu.ts';
import { BackendCanceled, BackendFailed, type TrainerBackend } from '../src/backends/types.ts';
import { collector, makeSpec, recorded, writeFakeTool, type FakeMode, type FakeTool } from './fixtures/gpu-fixtures.ts';

let tmp: string;
let workDir: string;
let datasetDir: string;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'gpu-backends-'));
  workDir = join(tmp, 'work');
  datasetDir = join(workDir, 'dataset');
  mkdirSync(datasetDir, { recursive: true });
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

/** The backend under test with its tool replaced by a fake in `mode`. */
function setup(tool: FakeTool, mode: FakeMode, extra: Partial<GpuToolConfig> = {}): TrainerBackend {
  const fake = writeFakeTool(join(tmp, 'bin'), tool, mode);
  const base = { pollMs: 50, killGraceMs: 2_000, ...extra };
  if (tool === 'ai-toolkit') {
    const dir = join(tmp, 'ai-toolkit');
    mkdirSync(dir);
    writeFileSync(join(dir, 'run.py'), '');
    return createAiToolkitBackend({ ...base, aiToolkitDir: dir, python: fake });
  }
  if (tool === 'kohya') {
    const dir = join(tmp, 'sd-scripts');
    mkdirSync(dir);
    writeFileSync(join(dir, 'sdxl_train_network.py'), '');
    // This backend gets a full environment, so the merge path is exercised too.
    return createKohyaBackend({ ...base, kohyaDir: dir, accelerate: fake, env: { PATH: '/usr/bin:/bin' } });
  }
  return createAxolotlBackend({ ...base, axolotlCommand: fake });
}

const specs: Record<FakeTool, () => JobSpec> = {
  // The recorded ai-toolkit bars are named "lokr-test-2", and the run name comes from the job id.
  'ai-toolkit': () =>
    makeSpec({
      job_id: 'lokr-test-2',
      params: { steps: 3000, save_every: 300, sample_every: 300, sample_prompts: ['[trigger] portrait'], seed: 11 },
    }),
  kohya: () =>
    makeSpec({
      base_model: { id: 'sdxl-base', family: 'sdxl', hf_repo: 'stabilityai/stable-diffusion-xl-base-1.0' },
      params: { steps: 800, save_every: 64, sample_every: 64, sample_prompts: ['[trigger] studio'] },
    }),
  axolotl: () =>
    makeSpec({
      modality: 'text',
      kind: 'chat',
      base_model: { id: 'llama-3.2-1b', family: 'llama', hf_repo: 'meta-llama/Llama-3.2-1B-Instruct' },
      params: { epochs: 3 },
      dataset: { format: 'jsonl', count: 100 },
      trigger_word: null,
    }),
};

function context(spec: JobSpec, signal = new AbortController().signal) {
  const c = collector();
  return { c, ctx: { spec, workDir, datasetDir, signal, emit: c.emit } };
}

const logLines = (c: ReturnType<typeof collector>) => c.of('log').flatMap((e) => e.lines);

describe('ai-toolkit run', () => {
  it('streams progress, checkpoints and samples and returns the final LoRA', async () => {
    const backend = setup('ai-toolkit', { kind: 'replay', logs: ['ai-toolkit-startup.log', 'ai-toolkit-progress.log'] });
    const spec = specs['ai-toolkit']();
    expect(backend.cannotRun(spec)).toBeNull();
    const { c, ctx } = context(spec);
    const result = await backend.run(ctx);

    const runDir = join(workDir, 'ai-toolkit', 'output', 'lokr-test-2');
    expect(result.artifactPath).toBe(join(runDir, 'lokr-test-2.safetensors'));
    expect(existsSync(result.artifactPath)).toBe(true);
    expect(c.of('progress').map((e) => e.step)).toEqual([299, 599, 899, 1199, 1499]);
    expect(c.of('metrics').map((e) => e.loss)).toEqual([0.5226, 0.6736, 0.6463, 0.7353, 0.2635]);
    expect(c.of('checkpoint')).toEqual(
      [300, 600, 900, 1200, 1500].map((step) => ({
        type: 'checkpoint',
        step,
        path: join(runDir, `lokr-test-2_${String(step).padStart(9, '0')}.safetensors`),
      })),
    );
    expect(c.of('sample').map((e) => [e.step, e.prompt, e.contentType])).toEqual(
      [300, 600, 900, 1200, 1500].map((s) => [s, 'p3r5on portrait', 'image/jpeg']),
    );
    expect(result.summary).toMatchObject({ backend: 'ai-toolkit', steps: 3000, final_loss: 0.2635 });

    const logs = logLines(c);
    expect(logs).toContain('Saving at step 300');
    expect(logs).toContain('fake ai-toolkit: PYTHONUNBUFFERED=1 SEED=11');
    // Bars overwritten with "\r" stay out of the log; only the bar left on screen at the end is kept.
    expect(logs.filter((l) => l.startsWith('lokr-test-2:'))).toEqual([recorded('ai-toolkit-progress.log')[17]]);
    expect(logs.filter((l) => l.startsWith('Loading checkpoint shards'))).toEqual([]);
  });

  it('stops when aborted: the whole process group dies, then BackendCanceled', async () => {
    const pidFile = join(tmp, 'pids.json');
    const backend = setup('ai-toolkit', { kind: 'sleep', pidFile });
    await expectCanceled(backend, specs['ai-toolkit'](), pidFile);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async () => {
    const pidFile = join(tmp, 'pids.json');
    const backend = setup('ai-toolkit', { kind: 'sleep', pidFile, ignoreTerm: true }, { killGraceMs: 300 });
    await expectCanceled(backend, specs['ai-toolkit'](), pidFile);
  });

  it('reports a CUDA OOM as out_of_memory with the last lines (ai-toolkit #45)', async () => {
    const backend = setup('ai-toolkit', { kind: 'fail', log: 'ai-toolkit-oom.log', code: 1 });
    await expectOutOfMemory(backend, specs['ai-toolkit'](), 'ai-toolkit-oom.log');
  });

  it('reports any other exit as backend_error with the exit code', async () => {
    const backend = setup('ai-toolkit', { kind: 'fail', log: 'ai-toolkit-startup.log', code: 3 });
    const err = await backend.run(context(specs['ai-toolkit']()).ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendFailed);
    expect(err).toMatchObject({ code: 'backend_error', message: 'ai-toolkit exited with code 3' });
    expect((err as BackendFailed).lastLines.at(-1)).toBe('  -  Found 526 images');
  });

  it('fails when the tool exits cleanly without writing the LoRA', async () => {
    const backend = setup('ai-toolkit', { kind: 'fail', log: 'ai-toolkit-startup.log', code: 0 });
    await expect(backend.run(context(specs['ai-toolkit']()).ctx)).rejects.toThrow(/finished without writing/);
  });
});

describe('kohya sd-scripts run', () => {
  it('streams progress with epochs, checkpoints and samples and returns the final LoRA', async () => {
    const backend = setup('kohya', { kind: 'replay', logs: ['kohya-epochs.log'] });
    const spec = specs.kohya();
    expect(backend.cannotRun(spec)).toBeNull();
    const { c, ctx } = context(spec);
    const result = await backend.run(ctx);

    const out = join(workDir, 'kohya', 'output');
    expect(result.artifactPath).toBe(join(out, 'job_golden01.safetensors'));
    expect(c.of('progress').at(-1)).toMatchObject({ step: 256, totalSteps: 800, epoch: 17, totalEpochs: 50 });
    expect(c.of('checkpoint').map((e) => [e.step, e.path])).toEqual([
      [192, join(out, 'job_golden01-step00000192.safetensors')],
      [256, join(out, 'job_golden01-step00000256.safetensors')],
    ]);
    expect(c.of('sample').map((e) => [e.step, e.prompt, e.contentType])).toEqual([
      [192, 'p3r5on studio', 'image/png'],
      [256, 'p3r5on studio', 'image/png'],
    ]);
    expect(logLines(c)).toContain('fake kohya: PYTHONUNBUFFERED=1 SEED=undefined');
    expect(readFileSync(join(workDir, 'kohya', 'dataset.toml'), 'utf8')).toContain(`image_dir = ${JSON.stringify(datasetDir)}`);
  });

  it('stops when aborted: the whole process group dies, then BackendCanceled', async () => {
    const pidFile = join(tmp, 'pids.json');
    await expectCanceled(setup('kohya', { kind: 'sleep', pidFile }), specs.kohya(), pidFile);
  });

  it('reports a CUDA OOM as out_of_memory with the last lines (sd-scripts #648)', async () => {
    const backend = setup('kohya', { kind: 'fail', log: 'kohya-oom.log', code: 1 });
    await expectOutOfMemory(backend, specs.kohya(), 'kohya-oom.log');
  });
});

describe('axolotl run', () => {
  it('streams progress, metrics and checkpoints and returns the PEFT adapter with its files', async () => {
    const backend = setup('axolotl', {
      kind: 'replay',
      logs: ['axolotl-train.log', 'axolotl-eval.log', 'axolotl-metrics.log'],
    });
    const spec = specs.axolotl();
    expect(backend.cannotRun(spec)).toBeNull();
    const { c, ctx } = context(spec);
    const result = await backend.run(ctx);

    const out = join(workDir, 'axolotl', 'output');
    expect(result.artifactPath).toBe(join(out, 'adapter_model.safetensors'));
    expect(result.extraFiles.map((f) => f.name)).toEqual(['adapter_config.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(result.extraFiles[0]).toEqual({ name: 'adapter_config.json', path: join(out, 'adapter_config.json'), contentType: 'application/json' });
    expect([...new Set(c.of('progress').map((e) => e.step))]).toEqual([283, 284, 302]);
    // Each logged dict carries the fractional epoch; the last one recorded is 1.45 of 3.
    expect(c.of('progress').at(-1)).toMatchObject({ step: 302, totalSteps: 873, epoch: 1.45, totalEpochs: 3 });
    // The fake saves a checkpoint at each step that logs a loss.
    expect(c.of('checkpoint')).toEqual(
      [283, 302].map((step) => ({ type: 'checkpoint', step, path: join(out, `checkpoint-${step}`, 'adapter_model.safetensors') })),
    );
    expect(c.of('metrics').filter((e) => e.valLoss !== undefined).map((e) => [e.step, e.valLoss])).toEqual([[284, 1.089670181274414]]);
    expect(c.of('metrics').at(-1)).toMatchObject({ step: 302, loss: 0.0417, gradNorm: 1.8998287323444785 });
    expect(result.summary).toMatchObject({ backend: 'axolotl', final_loss: 0.0417, eval_loss: 1.089670181274414 });
    expect(readFileSync(join(workDir, 'axolotl', 'config.yml'), 'utf8')).toContain(`path: ${JSON.stringify(join(datasetDir, 'data.jsonl'))}`);
  });

  it('stops when aborted: the whole process group dies, then BackendCanceled', async () => {
    const pidFile = join(tmp, 'pids.json');
    await expectCanceled(setup('axolotl', { kind: 'sleep', pidFile }), specs.axolotl(), pidFile);
  });

  it('reports a CUDA OOM as out_of_memory with the last lines (axolotl #1717)', async () => {
    const backend = setup('axolotl', { kind: 'fail', log: 'axolotl-oom.log', code: 1 });
    await expectOutOfMemory(backend, specs.axolotl(), 'axolotl-oom.log');
  });
});

describe('cannotRun', () => {
  it('refuses jobs of another modality or family, and tools that are not installed', () => {
    const image = specs['ai-toolkit']();
    const text = specs.axolotl();
    const none = createGpuBackendsFor({});
    expect(none.aiToolkit.cannotRun(text)).toBe('ai-toolkit trains image LoRAs; this job is text');
    expect(none.aiToolkit.cannotRun(image)).toBe('ai-toolkit is not configured on this worker (aiToolkitDir)');
    expect(none.kohya.cannotRun(image)).toBe('kohya backend supports sdxl base models, not flux');
    expect(none.axolotl.cannotRun(image)).toBe('axolotl trains text LoRAs; this job is image');
    expect(none.axolotl.cannotRun(text)).toBe('axolotl is not configured on this worker (axolotlCommand)');

    const missing = createGpuBackendsFor({ aiToolkitDir: join(tmp, 'nowhere'), axolotlCommand: 'axolotl' });
    expect(missing.aiToolkit.cannotRun(image)).toBe(`no ai-toolkit checkout at ${join(tmp, 'nowhere')} (run.py missing)`);
    // A bare command name can only be checked against the PATH of an environment the worker passed.
    expect(missing.axolotl.cannotRun(text)).toBe('axolotl command not found: axolotl');
  });

  it('finds a bare command on the PATH of the configured environment', () => {
    const bin = join(tmp, 'bin');
    writeFakeTool(bin, 'axolotl', { kind: 'fail', log: 'axolotl-oom.log', code: 1 });
    const backends = createGpuBackendsFor({ axolotlCommand: 'fake-axolotl', env: { PATH: `/nonexistent:${bin}` } });
    expect(backends.axolotl.cannotRun(specs.axolotl())).toBeNull();
  });
});

function createGpuBackendsFor(config: GpuToolConfig) {
  return {
    aiToolkit: createAiToolkitBackend(config),
    kohya: createKohyaBackend(config),
    axolotl: createAxolotlBackend(config),
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie nobody has reaped yet is dead for our purposes.
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function expectCanceled(backend: TrainerBackend, spec: JobSpec, pidFile: string) {
  const ac = new AbortController();
  const { ctx } = context(spec, ac.signal);
  const running = backend.run(ctx);
  await expect.poll(() => existsSync(pidFile), { timeout: 20_000 }).toBe(true);
  const pids = JSON.parse(readFileSync(pidFile, 'utf8')) as number[];
  expect(pids.every(isAlive)).toBe(true);
  ac.abort();
  await expect(running).rejects.toBeInstanceOf(BackendCanceled);
  await expect.poll(() => pids.filter(isAlive), { timeout: 10_000 }).toEqual([]);
}

async function expectOutOfMemory(backend: TrainerBackend, spec: JobSpec, log: string) {
  const err = await backend.run(context(spec).ctx).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BackendFailed);
  const failed = err as BackendFailed;
  expect(failed.code).toBe('out_of_memory');
  expect(failed.message).toMatch(/ran out of GPU memory/);
  const lines = recorded(log).filter((l) => l.trim());
  expect(failed.lastLines.at(-1)).toBe(lines.at(-1));
  expect(failed.lastLines.some((l) => /CUDA out of memory/.test(l))).toBe(true);
}

// The CLI: flag parsing in-process, and the real process for --help, a refused token and
// SIGTERM mid-run (spawned with tsx, exactly as an operator would run it from a checkout).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerEventOf } from '@lora-studio/protocol';
import { createBackends } from '../src/backends/registry.ts';
import { buildCapabilities, parseNvidiaSmi } from '../src/capabilities.ts';
import { parseCli, USAGE } from '../src/cli.ts';
import { ControlPlaneStandIn } from './harness/control-plane.ts';
import { imageZip, leftovers, tempRoot } from './harness/fixtures.ts';
import { pngZip } from './harness/images.ts';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

function runCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'packages/worker/src/cli.ts', ...args], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c) => (stdout += c));
  child.stderr.on('data', (c) => (stderr += c));
  const exited = once(child, 'exit').then(([code]) => ({ code: code as number | null, stdout, stderr }));
  return { child, exited };
}

describe('parseCli', () => {
  const env = {};
  it('reads pull mode from flags, with defaults', () => {
    const c = parseCli(['--control-plane', 'http://cp:3000', '--token', 't', '--name', 'gpu-1', '--gpu', 'none'], env);
    expect(c).toMatchObject({ mode: 'pull', controlPlane: 'http://cp:3000', token: 't', name: 'gpu-1', backends: ['cpu-reference'], concurrency: 1, gpu: null });
  });

  it('falls back to LORA_STUDIO_* variables, flags first', () => {
    const c = parseCli(['--concurrency', '2'], {
      LORA_STUDIO_CONTROL_PLANE: 'http://cp',
      LORA_STUDIO_WORKER_TOKEN: 'tok',
      LORA_STUDIO_CONCURRENCY: '9',
      LORA_STUDIO_GPU: 'NVIDIA L4:23034:2',
    });
    expect(c).toMatchObject({ mode: 'pull', token: 'tok', concurrency: 2, gpu: { name: 'NVIDIA L4', vram_mb: 23034, count: 2 } });
  });

  it('reads push mode and checks the secret shape', () => {
    expect(parseCli(['--listen', '8080', '--secret', 'whsec_c2VjcmV0c2VjcmV0c2VjcmV0'], env)).toMatchObject({ mode: 'push', listen: 8080, host: '127.0.0.1' });
    expect(() => parseCli(['--listen', '8080', '--secret', 'plain'], env)).toThrow(/whsec_/);
    expect(() => parseCli(['--listen', '8080'], env)).toThrow(/--secret/);
  });

  it('refuses a GPU backend without a tools config, unknown backends and bad numbers', () => {
    const pull = ['--control-plane', 'http://cp', '--token', 't'];
    expect(() => parseCli([...pull, '--backend', 'kohya'], env)).toThrow(/kohya needs --gpu-tools-config/);
    expect(() => parseCli([...pull, '--backend', 'dreambooth'], env)).toThrow(/unknown backend "dreambooth"/);
    expect(() => parseCli([...pull, '--concurrency', '0'], env)).toThrow(/--concurrency must be an integer from 1 to 16/);
    expect(() => parseCli(['--token', 't'], env)).toThrow(/--control-plane/);
  });
});

describe('capabilities and backends', () => {
  it('reads nvidia-smi output, and nothing from nothing', () => {
    const out = 'NVIDIA A100-SXM4-80GB, 81920 MiB\nNVIDIA A100-SXM4-80GB, 81920 MiB\n';
    expect(parseNvidiaSmi(out)).toEqual({ name: 'NVIDIA A100-SXM4-80GB', vram_mb: 81920, count: 2 });
    expect(parseNvidiaSmi('')).toBeNull();
    expect(parseNvidiaSmi('NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.')).toBeNull();
  });

  it('derives modalities and families from the backends unless flags narrow them', () => {
    const gpu = { name: 'NVIDIA L4', vram_mb: 23034, count: 1 };
    expect(buildCapabilities({ backends: ['kohya', 'axolotl'], gpu })).toEqual({
      modalities: ['image', 'text'],
      base_families: ['sdxl', 'llama', 'qwen', 'mistral'],
      backends: ['kohya', 'axolotl'],
      gpu,
    });
    expect(buildCapabilities({ backends: ['cpu-reference'], gpu: null, modalities: ['text'], families: ['tiny'] })).toMatchObject({ modalities: ['text'], base_families: ['tiny'] });
  });

  it('wires every backend id to a backend, in the order given', () => {
    const backends = createBackends(['axolotl', 'cpu-reference', 'kohya', 'ai-toolkit'], { gpuTools: {} });
    expect(backends.map((b) => b.id)).toEqual(['axolotl', 'cpu-reference', 'kohya', 'ai-toolkit']);
  });

  it('reads --gpu-tools-config and refuses unknown keys', () => {
    const dir = tempRoot();
    const good = join(dir, 'tools.json');
    writeFileSync(good, JSON.stringify({ kohyaDir: '/opt/sd-scripts', modelPaths: { 'sdxl-base': '/models/sdxl.safetensors' } }));
    const c = parseCli(['--control-plane', 'http://cp', '--token', 't', '--backend', 'kohya', '--gpu-tools-config', good], { PATH: '/usr/bin', LORA_STUDIO_WORKER_TOKEN: 'secret' });
    expect(c).toMatchObject({ backends: ['kohya'], gpuTools: { kohyaDir: '/opt/sd-scripts', modelPaths: { 'sdxl-base': '/models/sdxl.safetensors' } } });
    // The tools get the environment, but not the worker's own credentials.
    expect(c !== 'help' && c.gpuTools.env).toEqual({ PATH: '/usr/bin' });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kohya_dir: '/opt' }));
    expect(() => parseCli(['--control-plane', 'http://cp', '--token', 't', '--gpu-tools-config', bad], {})).toThrow(/unknown keys kohya_dir/);
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('lora-studio-worker process', () => {
  let cp: ControlPlaneStandIn;
  let root: string;
  beforeAll(async () => {
    cp = await ControlPlaneStandIn.start();
    root = tempRoot();
  });
  afterAll(async () => {
    await cp.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('prints its usage with --help', async () => {
    const { code, stdout } = await runCli(['--help']).exited;
    expect(code).toBe(0);
    expect(stdout).toBe(USAGE);
    expect(stdout).toMatch(/--control-plane URL --token TOKEN/);
  });

  it('exits 1 saying the token is wrong when the control plane answers 401', async () => {
    const { code, stderr } = await runCli(['--control-plane', cp.url, '--token', 'not-the-token', '--gpu', 'none', '--work-dir', root]).exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/refused the worker token/);
  });

  it('on SIGTERM mid-training (cpu-reference) reports job.failed worker_shutdown (retryable) and exits 0', async () => {
    cp.addDataset('pngs.zip', await pngZip());
    cp.enqueue(cp.makeSpec({ jobId: 'job_cli_sigterm_training', dataset: { name: 'pngs.zip', format: 'images-zip', count: 4 }, steps: 20_000 }));
    const { child, exited } = runCli(['--control-plane', cp.url, '--token', cp.token, '--name', 'w-cli', '--backend', 'cpu-reference', '--gpu', 'none', '--work-dir', root]);
    await cp.waitForEvent((e) => e.job_id === 'job_cli_sigterm_training' && e.type === 'job.progress' && e.data.stage === 'training' && e.data.step >= 1);
    child.kill('SIGTERM');
    const { code } = await exited;
    expect(code).toBe(0);
    const terminal = cp.terminalOf('job_cli_sigterm_training') as WorkerEventOf<'job.failed'>;
    expect(terminal.type).toBe('job.failed');
    expect(terminal.data).toMatchObject({ code: 'worker_shutdown', retryable: true });
    expect(terminal.data.message).toContain('SIGTERM');
    expect(cp.eventsOf('job_cli_sigterm_training').filter((e) => e.type === 'job.succeeded')).toEqual([]);
    expect(leftovers(root)).toEqual([]);
  });

  it('on SIGTERM while downloading reports job.failed worker_shutdown (retryable) and exits 0', async () => {
    // The download never finishes, so the job is certainly running when the signal lands.
    cp.addDataset('stalled.zip', imageZip(), { stall: true });
    cp.enqueue(cp.makeSpec({ jobId: 'job_cli_sigterm', dataset: { name: 'stalled.zip', format: 'images-zip' } }));
    const { child, exited } = runCli(['--control-plane', cp.url, '--token', cp.token, '--name', 'w-cli', '--gpu', 'none', '--work-dir', root]);
    await cp.waitForEvent((e) => e.job_id === 'job_cli_sigterm' && e.type === 'job.started');
    if (!cp.datasetRequests.includes('stalled.zip')) await once(cp, 'dataset');
    child.kill('SIGTERM');
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    expect(stderr).toMatch(/SIGTERM received/);
    const terminal = cp.terminalOf('job_cli_sigterm') as WorkerEventOf<'job.failed'>;
    expect(terminal.type).toBe('job.failed');
    expect(terminal.data).toMatchObject({ code: 'worker_shutdown', retryable: true });
    expect(cp.eventsOf('job_cli_sigterm')[0]).toMatchObject({ type: 'job.started', data: { worker_id: 'w-cli', gpu: null } });
    expect(leftovers(root)).toEqual([]);
  });
});

#!/usr/bin/env node
// lora-studio-worker — the reference worker. Flags first, LORA_STUDIO_* environment variables
// as fallback; this is the only module that reads the environment or touches the process.
import { realpathSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BaseFamily, Modality, SigningSecret } from '@lora-studio/protocol';
import { BACKEND_IDS, createBackends, isBackendId } from './backends/registry.ts';
import type { GpuToolConfig } from './backends/gpu-common/config.ts';
import type { BackendId } from './backends/types.ts';
import { buildCapabilities, detectGpu, parseGpuFlag, type Gpu } from './capabilities.ts';
import { readGpuToolsConfig } from './io/gpu-tools-config.ts';
import { createStderrLogger, type Logger } from './io/logger.ts';
import { PullAuthError, startPullWorker, type PullWorker } from './pull/worker.ts';
import { startPushServer, type PushServer } from './push/server.ts';

export const USAGE = `lora-studio-worker — trains LoRAs for a LoRA Studio control plane

Usage:
  lora-studio-worker --control-plane URL --token TOKEN [options]   pull mode
  lora-studio-worker --listen PORT --secret SECRET [options]       push mode

Pull mode (worker_pool): lease jobs from the control plane, heartbeat, report events.
  --control-plane URL       App base URL, e.g. http://localhost:3000   [LORA_STUDIO_CONTROL_PLANE]
  --token TOKEN             Worker token created by an operator         [LORA_STUDIO_WORKER_TOKEN]
  --concurrency N           Jobs run at once (default 1)                [LORA_STUDIO_CONCURRENCY]

Push mode (webhook_worker): the control plane POSTs signed job specs to this worker.
  --listen PORT             Port serving POST /v1/jobs, POST /v1/jobs/:id/cancel, GET /healthz
                                                                        [LORA_STUDIO_LISTEN]
  --secret SECRET           The app's WORKER_HMAC_SECRET (whsec_…)      [LORA_STUDIO_WORKER_SECRET]
  --host HOST               Interface to bind (default 127.0.0.1)       [LORA_STUDIO_HOST]
  --control-plane URL       Optional: refuse specs whose callback URLs are on another origin
  --concurrency N           Jobs run at once; more are refused with 503 (default 1)

Both modes:
  --name NAME               Worker id reported to the control plane (default: host name)
                                                                        [LORA_STUDIO_WORKER_NAME]
  --backend ID              ${BACKEND_IDS.join(' | ')}
                            repeat for several; tried in order (default cpu-reference)
                                                                        [LORA_STUDIO_BACKENDS, comma-separated]
  --gpu-tools-config FILE   JSON: where the GPU tools live (aiToolkitDir, python, kohyaDir, accelerate,
                            axolotlCommand, modelPaths); needed by ai-toolkit, kohya, axolotl
                                                                        [LORA_STUDIO_GPU_TOOLS_CONFIG]
  --work-dir DIR            Scratch space, one folder per job, removed after it (default ${join(tmpdir(), 'lora-studio-worker')})
                                                                        [LORA_STUDIO_WORK_DIR]
  --gpu NAME:VRAM_MB[:N]    Override GPU detection (nvidia-smi); "none" for a CPU-only worker
                                                                        [LORA_STUDIO_GPU]
  --modality M              Advertise only these modalities (image, text); repeatable
  --family F                Advertise only these base families (${BaseFamily.options.join(', ')}); repeatable
  --shutdown-grace SECONDS  On SIGTERM/SIGINT, how long running jobs get to report (default 20)
  -h, --help                Show this help

On SIGTERM or SIGINT the worker stops its running jobs, reports each one as job.failed
(code worker_shutdown, retryable) so the control plane re-queues it, delivers its pending
events (bounded by --shutdown-grace) and exits 0.
`;

class UsageError extends Error {}

type Env = Record<string, string | undefined>;

export interface CliConfig {
  mode: 'pull' | 'push';
  controlPlane?: string;
  token?: string;
  listen?: number;
  secret?: string;
  host: string;
  name: string;
  backends: BackendId[];
  concurrency: number;
  workDir: string;
  gpuTools: GpuToolConfig;
  gpu: Gpu | null | 'detect';
  modalities: Modality[];
  families: BaseFamily[];
  graceSeconds: number;
}

export function parseCli(argv: string[], env: Env): CliConfig | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      'control-plane': { type: 'string' },
      token: { type: 'string' },
      name: { type: 'string' },
      backend: { type: 'string', multiple: true },
      concurrency: { type: 'string' },
      'work-dir': { type: 'string' },
      'gpu-tools-config': { type: 'string' },
      listen: { type: 'string' },
      secret: { type: 'string' },
      host: { type: 'string' },
      gpu: { type: 'string' },
      modality: { type: 'string', multiple: true },
      family: { type: 'string', multiple: true },
      'shutdown-grace': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const listenText = values.listen ?? env.LORA_STUDIO_LISTEN;
  const mode = listenText !== undefined ? 'push' : 'pull';
  const controlPlane = values['control-plane'] ?? env.LORA_STUDIO_CONTROL_PLANE;
  if (controlPlane !== undefined && !/^https?:\/\/[^/]/.test(controlPlane)) throw new UsageError(`--control-plane must be an http(s) URL, got "${controlPlane}"`);

  const backendList = values.backend ?? env.LORA_STUDIO_BACKENDS?.split(',').map((s) => s.trim()).filter(Boolean) ?? ['cpu-reference'];
  const backends = backendList.map((b) => {
    if (!isBackendId(b)) throw new UsageError(`unknown backend "${b}" (expected ${BACKEND_IDS.join(', ')})`);
    return b;
  });
  const gpuToolsPath = values['gpu-tools-config'] ?? env.LORA_STUDIO_GPU_TOOLS_CONFIG;
  const gpuBackends = backends.filter((b) => b !== 'cpu-reference');
  if (gpuBackends.length > 0 && !gpuToolsPath) {
    throw new UsageError(`--backend ${gpuBackends.join(', ')} needs --gpu-tools-config FILE saying where the tool is installed (see the worker README)`);
  }
  const gpuText = values.gpu ?? env.LORA_STUDIO_GPU;
  const config: CliConfig = {
    mode,
    host: values.host ?? env.LORA_STUDIO_HOST ?? '127.0.0.1',
    name: workerName(values.name ?? env.LORA_STUDIO_WORKER_NAME),
    backends,
    concurrency: intIn(values.concurrency ?? env.LORA_STUDIO_CONCURRENCY ?? '1', 1, 16, '--concurrency'),
    workDir: values['work-dir'] ?? env.LORA_STUDIO_WORK_DIR ?? join(tmpdir(), 'lora-studio-worker'),
    gpuTools: gpuToolsPath ? wrap(() => readGpuToolsConfig(gpuToolsPath, env)) : {},
    gpu: gpuText === undefined ? 'detect' : wrap(() => parseGpuFlag(gpuText)),
    modalities: (values.modality ?? []).map((m) => enumValue(Modality.options, m, '--modality')),
    families: (values.family ?? []).map((f) => enumValue(BaseFamily.options, f, '--family')),
    graceSeconds: intIn(values['shutdown-grace'] ?? env.LORA_STUDIO_SHUTDOWN_GRACE ?? '20', 1, 3600, '--shutdown-grace'),
    ...(controlPlane !== undefined ? { controlPlane } : {}),
  };
  if (mode === 'push') {
    config.listen = intIn(listenText!, 0, 65535, '--listen');
    const secret = values.secret ?? env.LORA_STUDIO_WORKER_SECRET;
    if (!secret) throw new UsageError('push mode needs --secret (the control plane\'s WORKER_HMAC_SECRET)');
    if (!SigningSecret.safeParse(secret).success) throw new UsageError('--secret must look like whsec_<base64>');
    config.secret = secret;
  } else {
    const token = values.token ?? env.LORA_STUDIO_WORKER_TOKEN;
    if (!controlPlane || !token) throw new UsageError('pull mode needs --control-plane URL and --token TOKEN (or push mode: --listen PORT --secret SECRET)');
    config.token = token;
  }
  return config;
}

function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function intIn(text: string, min: number, max: number, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new UsageError(`${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  return n;
}

function enumValue<T extends string>(options: readonly T[], value: string, flag: string): T {
  if (!(options as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${options.join(', ')}, got "${value}"`);
  return value as T;
}

function workerName(given: string | undefined): string {
  const name = given ?? hostname().replace(/[^A-Za-z0-9._:-]/g, '-');
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(name)) throw new UsageError(`--name may use letters, digits and . _ : - (max 128), got "${name}"`);
  return name;
}

export async function main(argv: string[], env: Env, log: Logger = createStderrLogger()): Promise<number> {
  let config: CliConfig;
  try {
    const parsed = parseCli(argv, env);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    config = parsed;
  } catch (err) {
    process.stderr.write(`lora-studio-worker: ${(err as Error).message}\nRun with --help for usage.\n`);
    return 2;
  }
  let worker;
  try {
    worker = await startWorker(config, log);
  } catch (err) {
    log.error(`could not start: ${(err as Error).message}`);
    return 1;
  }
  return untilSignal(worker, config, log);
}

async function startWorker(config: CliConfig, log: Logger) {
  const gpu = config.gpu === 'detect' ? await detectGpu() : config.gpu;
  const backends = createBackends(config.backends, { gpuTools: config.gpuTools });
  const capabilities = buildCapabilities({ backends: config.backends, gpu, modalities: config.modalities, families: config.families });
  log.info('capabilities', { ...capabilities });
  if (config.backends.includes('cpu-reference')) {
    log.info('cpu-reference trains a tiny built-in network on the CPU; it stands in for every base family (flux, sdxl, llama, qwen, mistral) so the pipeline runs anywhere, and its LoRAs are not usable with the real models');
  }
  if (!gpu && config.backends.some((b) => b !== 'cpu-reference')) log.warn('no GPU detected; GPU backends will most likely fail');
  const jobOptions = { shutdownDrainMs: Math.max(1000, (config.graceSeconds * 1000) / 2) };
  return config.mode === 'push'
    ? await startPushServer({
        port: config.listen!,
        host: config.host,
        secret: config.secret!,
        workerId: config.name,
        backends,
        gpu,
        concurrency: config.concurrency,
        workRoot: config.workDir,
        log,
        jobOptions,
        ...(config.controlPlane ? { controlPlane: config.controlPlane } : {}),
      })
    : startPullWorker({
        controlPlane: config.controlPlane!,
        token: config.token!,
        workerId: config.name,
        capabilities,
        backends,
        concurrency: config.concurrency,
        workRoot: config.workDir,
        log,
        jobOptions,
      });
}

function untilSignal(worker: PullWorker | PushServer, config: CliConfig, log: Logger): Promise<number> {
  return new Promise<number>((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        log.warn(`second ${signal}: exiting without waiting`);
        return resolve(1);
      }
      stopping = true;
      log.info(`${signal} received: stopping running jobs and reporting them as worker_shutdown`);
      const grace = setTimeout(() => {
        log.error(`jobs did not finish reporting within ${config.graceSeconds}s; exiting anyway`);
        resolve(0);
      }, config.graceSeconds * 1000);
      void worker.shutdown(signal).then(() => {
        clearTimeout(grace);
        log.info('shutdown complete');
        resolve(0);
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    if ('done' in worker) {
      worker.done.catch((err) => {
        log.error(err instanceof PullAuthError ? err.message : `pull worker stopped: ${(err as Error).message}`);
        resolve(1);
      });
    }
  });
}

// Run when executed (also through the npm bin symlink), not when imported by tests.
const entry = process.argv[1];
if (entry && import.meta.url === pathToFileURL(realpathSync(entry)).href) {
  main(process.argv.slice(2), process.env).then((code) => process.exit(code));
}

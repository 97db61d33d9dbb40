// Every trainer backend the worker can run, by id. Exhaustive over BackendId: a new backend
// does not compile until it is wired here (STYLE.md §8).
import type { GpuToolConfig } from './gpu-common/config.ts';
import { cpuReferenceBackend } from './cpu-reference/index.ts';
import { createAiToolkitBackend, createAxolotlBackend, createKohyaBackend } from './gpu.ts';
import type { BackendId, TrainerBackend } from './types.ts';

export interface BackendOptions {
  /** Where the GPU tools live (ignored by cpu-reference). */
  gpuTools: GpuToolConfig;
}

export const BACKEND_FACTORIES: Record<BackendId, (opts: BackendOptions) => TrainerBackend> = {
  'cpu-reference': () => cpuReferenceBackend,
  'ai-toolkit': (opts) => createAiToolkitBackend(opts.gpuTools),
  kohya: (opts) => createKohyaBackend(opts.gpuTools),
  axolotl: (opts) => createAxolotlBackend(opts.gpuTools),
};

export const BACKEND_IDS = Object.keys(BACKEND_FACTORIES) as BackendId[];

export function isBackendId(value: string): value is BackendId {
  return Object.hasOwn(BACKEND_FACTORIES, value);
}

/** The backends to register, in the order given (the runner tries them in this order). */
export function createBackends(ids: readonly BackendId[], opts: BackendOptions): TrainerBackend[] {
  return [...new Set(ids)].map((id) => BACKEND_FACTORIES[id](opts));
}

// The GPU trainer backends, built from the worker's tool locations.
import type { TrainerBackend } from './types.ts';
import type { GpuToolConfig } from './gpu-common/config.ts';
import { createAiToolkitBackend } from './ai-toolkit/index.ts';
import { createAxolotlBackend } from './axolotl/index.ts';
import { createKohyaBackend } from './kohya/index.ts';

export type { GpuToolConfig } from './gpu-common/config.ts';
export { createAiToolkitBackend, createAxolotlBackend, createKohyaBackend };

export function createGpuBackends(config: GpuToolConfig): {
  'ai-toolkit': TrainerBackend;
  kohya: TrainerBackend;
  axolotl: TrainerBackend;
} {
  return {
    'ai-toolkit': createAiToolkitBackend(config),
    kohya: createKohyaBackend(config),
    axolotl: createAxolotlBackend(config),
  };
}

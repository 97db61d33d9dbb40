// Job-spec helpers shared by the GPU backends.
import type { JobSpec } from '@lora-studio/protocol';
import type { GpuToolConfig } from './config.ts';

export type Params = JobSpec['params'];

/** A file-name-safe run name; the tools use it for folders, file names and progress bars. */
export function runName(spec: JobSpec): string {
  const cleaned = spec.job_id.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);
  return cleaned || 'lora';
}

/** The model the tool loads: an operator-pinned path first, then the Hub repo, then the id. */
export function modelSource(spec: JobSpec, config: GpuToolConfig): { source: string; pinnedLocally: boolean } {
  const local = config.modelPaths?.[spec.base_model.id];
  if (local) return { source: local, pinnedLocally: true };
  return { source: spec.base_model.hf_repo ?? spec.base_model.id, pinnedLocally: false };
}

/** `[trigger]` in a prompt becomes the trigger word, the convention ai-toolkit uses. */
export function withTrigger(prompt: string, trigger: string | null): string {
  return trigger ? prompt.replaceAll('[trigger]', trigger) : prompt;
}

/** Steps for tools that count steps only, from epochs when the job asked for epochs. */
export function stepsFor(spec: JobSpec, fallback: number): { steps: number; fromEpochs: boolean } {
  const p = spec.params;
  if (p.steps) return { steps: p.steps, fromEpochs: false };
  if (p.epochs) {
    const perEpoch = Math.ceil(spec.dataset.count / ((p.batch_size ?? 1) * (p.gradient_accumulation ?? 1)));
    return { steps: Math.max(1, perEpoch * p.epochs), fromEpochs: true };
  }
  return { steps: fallback, fromEpochs: false };
}

/** Optimizer names as each tool spells them; unknown names go through unchanged. */
const OPTIMIZERS: Record<string, { aiToolkit: string; kohya: string; axolotl: string }> = {
  adamw: { aiToolkit: 'adamw', kohya: 'AdamW', axolotl: 'adamw_torch' },
  adamw8bit: { aiToolkit: 'adamw8bit', kohya: 'AdamW8bit', axolotl: 'adamw_8bit' },
  adafactor: { aiToolkit: 'adafactor', kohya: 'Adafactor', axolotl: 'adafactor' },
  prodigy: { aiToolkit: 'prodigy', kohya: 'Prodigy', axolotl: 'prodigy' },
  lion: { aiToolkit: 'lion', kohya: 'Lion', axolotl: 'lion_32bit' },
  lion8bit: { aiToolkit: 'lion8bit', kohya: 'Lion8bit', axolotl: 'lion_8bit' },
  sgd: { aiToolkit: 'sgd', kohya: 'SGDNesterov', axolotl: 'sgd' },
};

export function optimizerFor(tool: 'aiToolkit' | 'kohya' | 'axolotl', name: string | undefined, fallback: string): string {
  if (!name) return fallback;
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return OPTIMIZERS[key]?.[tool] ?? name;
}

import { z } from 'zod';
import type { BackendId } from './common.ts';

// The optimizer and LR-scheduler choices a job may name, and — per GPU backend — the exact
// string that tool is given for each. Params never carry a tool's own spelling: kohya imports
// any `module.Class` named in --optimizer_type, so a caller's string must never reach it. A new
// id does not compile until every backend says how it spells it (or null: not supported).

/**
 * Image trainers' names (adamw … sgd) and the Hugging Face Trainer names text LoRAs use
 * (adamw_torch …, what axolotl passes through); adafactor and sgd are both.
 */
export const OPTIMIZER_IDS = [
  'adamw',
  'adamw8bit',
  'adafactor',
  'prodigy',
  'lion',
  'lion8bit',
  'sgd',
  'adamw_torch',
  'adamw_torch_fused',
  'adamw_8bit',
  'paged_adamw_8bit',
  'lion_32bit',
] as const;
export const OptimizerId = z.enum(OPTIMIZER_IDS).describe('Optimizer, from a fixed list; each backend maps it to its own name');
export type OptimizerId = z.infer<typeof OptimizerId>;

/** Hugging Face / diffusers `SchedulerType` names every trainer here understands. */
export const SCHEDULER_IDS = ['cosine', 'linear', 'constant', 'constant_with_warmup', 'cosine_with_restarts', 'polynomial'] as const;
export const SchedulerId = z.enum(SCHEDULER_IDS).describe('Learning-rate schedule, from a fixed list');
export type SchedulerId = z.infer<typeof SchedulerId>;

/** Backends that run an outside tool (cpu-reference is in-process and builds no command line). */
export type ToolBackendId = Exclude<BackendId, 'cpu-reference'>;
export const TOOL_BACKEND_IDS: readonly ToolBackendId[] = ['ai-toolkit', 'kohya', 'axolotl'];

type Table<K extends string> = { readonly [B in ToolBackendId]: Readonly<Record<K, string | null>> };

/**
 * ai-toolkit: toolkit/optimizer.py get_optimizer (no SGD). kohya sd-scripts: train_util
 * get_optimizer's built-in names (case-insensitive). axolotl: transformers OptimizerNames
 * (no Prodigy).
 */
export const TRAINER_OPTIMIZER_NAMES: Table<OptimizerId> = {
  'ai-toolkit': {
    adamw: 'adamw',
    adamw8bit: 'adamw8bit',
    adafactor: 'adafactor',
    prodigy: 'prodigy',
    lion: 'lion',
    lion8bit: 'lion8bit',
    sgd: null,
    adamw_torch: null,
    adamw_torch_fused: null,
    adamw_8bit: null,
    paged_adamw_8bit: null,
    lion_32bit: null,
  },
  kohya: {
    adamw: 'AdamW',
    adamw8bit: 'AdamW8bit',
    adafactor: 'Adafactor',
    prodigy: 'Prodigy',
    lion: 'Lion',
    lion8bit: 'Lion8bit',
    sgd: 'SGDNesterov',
    adamw_torch: null,
    adamw_torch_fused: null,
    adamw_8bit: null,
    paged_adamw_8bit: null,
    lion_32bit: null,
  },
  axolotl: {
    adamw: 'adamw_torch',
    adamw8bit: 'adamw_8bit',
    adafactor: 'adafactor',
    prodigy: null,
    lion: 'lion_32bit',
    lion8bit: 'lion_8bit',
    sgd: 'sgd',
    adamw_torch: 'adamw_torch',
    adamw_torch_fused: 'adamw_torch_fused',
    adamw_8bit: 'adamw_8bit',
    paged_adamw_8bit: 'paged_adamw_8bit',
    lion_32bit: 'lion_32bit',
  },
};

/**
 * ai-toolkit: toolkit/scheduler.py handles cosine, cosine_with_restarts, constant, linear and
 * constant_with_warmup itself; its diffusers fallback passes arguments polynomial decay does
 * not take. kohya (diffusers get_scheduler) and axolotl (transformers) take all six.
 */
export const TRAINER_SCHEDULER_NAMES: Table<SchedulerId> = {
  'ai-toolkit': { cosine: 'cosine', linear: 'linear', constant: 'constant', constant_with_warmup: 'constant_with_warmup', cosine_with_restarts: 'cosine_with_restarts', polynomial: null },
  kohya: { cosine: 'cosine', linear: 'linear', constant: 'constant', constant_with_warmup: 'constant_with_warmup', cosine_with_restarts: 'cosine_with_restarts', polynomial: 'polynomial' },
  axolotl: { cosine: 'cosine', linear: 'linear', constant: 'constant', constant_with_warmup: 'constant_with_warmup', cosine_with_restarts: 'cosine_with_restarts', polynomial: 'polynomial' },
};

const isToolBackend = (b: string): b is ToolBackendId => (TOOL_BACKEND_IDS as readonly string[]).includes(b);

/** Ids of `field` every tool backend in `backends` supports (cpu-reference takes them all). */
export function supportedTrainerOptions(field: 'optimizer' | 'scheduler', backends: readonly string[]): string[] {
  const ids: readonly string[] = field === 'optimizer' ? OPTIMIZER_IDS : SCHEDULER_IDS;
  const tables = backends.filter(isToolBackend).map((b) => (field === 'optimizer' ? TRAINER_OPTIMIZER_NAMES[b] : TRAINER_SCHEDULER_NAMES[b]) as Record<string, string | null>);
  return ids.filter((id) => tables.every((t) => t[id] !== null));
}

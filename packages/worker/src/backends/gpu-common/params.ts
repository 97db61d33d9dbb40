// Job-spec helpers shared by the GPU backends.
import { TRAINER_OPTIMIZER_NAMES, TRAINER_SCHEDULER_NAMES, type JobSpec, type ToolBackendId } from '@lora-studio/protocol';
import { JobFailure } from '../../runner/failure.ts';
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

/**
 * The optimizer / scheduler string a tool is given: from the protocol's fixed table for the
 * job's id, never the spec's own string. An id the tool does not offer, or anything that is
 * not an id at all (a spec that skipped validation), fails the job before a command is built.
 */
function toolName(table: Readonly<Record<string, string | null>>, tool: ToolBackendId, field: 'optimizer' | 'scheduler', id: string): string {
  const name = Object.hasOwn(table, id) ? table[id] : undefined;
  if (name) return name;
  const offered = Object.keys(table).filter((k) => table[k] !== null).join(', ');
  const what = name === null ? `${tool} has no ${field} "${id}"` : `${field} ${JSON.stringify(id.slice(0, 80))} is not one of the protocol's ids`;
  throw new JobFailure('invalid_params', `params.${field}: ${what}; use one of ${offered}`);
}

export function optimizerFor(tool: ToolBackendId, id: string | undefined, fallback: string): string {
  return id === undefined ? fallback : toolName(TRAINER_OPTIMIZER_NAMES[tool], tool, 'optimizer', id);
}

export function schedulerFor(tool: ToolBackendId, id: string | undefined): string | undefined {
  return id === undefined ? undefined : toolName(TRAINER_SCHEDULER_NAMES[tool], tool, 'scheduler', id);
}

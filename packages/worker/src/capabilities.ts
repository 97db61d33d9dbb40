// What this worker tells the control plane it can run (LeaseRequest.capabilities). Flags win;
// otherwise modalities and base families follow from the backends, and the GPU from nvidia-smi.
import { execFile } from 'node:child_process';
import type { BaseFamily, Modality, WorkerCapabilities } from '@lora-studio/protocol';
import type { BackendId } from './backends/types.ts';

export type Gpu = NonNullable<WorkerCapabilities['gpu']>;

/**
 * What each backend trains. cpu-reference trains a tiny built-in network, and stands in for
 * every family so the whole product runs on a laptop; it says so in the job log and in its
 * artifact's metadata.
 */
export const BACKEND_SUPPORT: Record<BackendId, { modalities: Modality[]; families: BaseFamily[] }> = {
  'cpu-reference': { modalities: ['image', 'text'], families: ['tiny', 'flux', 'sdxl', 'llama', 'qwen', 'mistral'] },
  'ai-toolkit': { modalities: ['image'], families: ['flux', 'sdxl'] },
  kohya: { modalities: ['image'], families: ['sdxl'] },
  axolotl: { modalities: ['text'], families: ['llama', 'qwen', 'mistral'] },
};

export function buildCapabilities(input: {
  backends: readonly BackendId[];
  gpu: Gpu | null;
  modalities?: readonly Modality[];
  families?: readonly BaseFamily[];
}): WorkerCapabilities {
  const union = <T>(pick: (id: BackendId) => T[]) => [...new Set(input.backends.flatMap(pick))];
  return {
    modalities: input.modalities?.length ? [...new Set(input.modalities)] : union((id) => BACKEND_SUPPORT[id].modalities),
    base_families: input.families?.length ? [...new Set(input.families)] : union((id) => BACKEND_SUPPORT[id].families),
    backends: [...new Set(input.backends)],
    gpu: input.gpu,
  };
}

/** `nvidia-smi --query-gpu=name,memory.total --format=csv,noheader` output → one GPU entry. */
export function parseNvidiaSmi(output: string): Gpu | null {
  const rows = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const comma = l.lastIndexOf(',');
      return { name: l.slice(0, comma).trim(), mib: Number.parseInt(l.slice(comma + 1), 10) };
    })
    .filter((r) => r.name && Number.isFinite(r.mib) && r.mib > 0);
  const first = rows[0];
  if (!first) return null;
  // Mixed GPUs are reported as the first model with the smallest memory: a job sized for it fits all.
  return { name: first.name.slice(0, 200), vram_mb: Math.min(...rows.map((r) => r.mib)), count: Math.min(rows.length, 64) };
}

/** The GPU as nvidia-smi sees it, or null (no nvidia-smi, no GPU, or it failed). */
export function detectGpu(timeoutMs = 5000): Promise<Gpu | null> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', ['--query-gpu=name,memory.total', '--format=csv,noheader'], { timeout: timeoutMs }, (err, stdout) => {
      resolve(err ? null : parseNvidiaSmi(stdout));
    });
  });
}

/** `--gpu "NVIDIA A100-SXM4-80GB:81920[:COUNT]"` or `--gpu none`. */
export function parseGpuFlag(value: string): Gpu | null {
  if (value === 'none') return null;
  const m = /^(.+?):(\d+)(?::(\d+))?$/.exec(value);
  if (!m) throw new Error(`--gpu expects NAME:VRAM_MB[:COUNT] or none, got "${value}"`);
  const count = m[3] ? Number(m[3]) : 1;
  if (count < 1 || count > 64) throw new Error('--gpu COUNT must be 1..64');
  return { name: m[1]!.slice(0, 200), vram_mb: Number(m[2]), count };
}

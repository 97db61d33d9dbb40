// What a job row says about money: the estimate stored at creation (lora_jobs.estimate_json and
// cost_estimate_usd) and the cost so far of a running or finished attempt.
import { z } from 'zod';
import { GPU_USD_PER_HOUR } from '@/server/catalog/pricing';
import { GPU_COUNTS, GPU_TYPE_IDS, gpuTypeOf, TEXT_PRESET_IDS, type GpuCount, type GpuTypeId } from '@/server/catalog/text-presets';
import type { LoraJob } from '@/server/db/schema/index.ts';
import { TextEstimate } from './schemas.ts';
import type { TextChoice } from './text-estimate.ts';

/**
 * estimate_json, version 1. The GPU choice is kept even when no estimate could be made (a
 * dataset report without token statistics), so the monitor can still price the run.
 */
export const EstimateRecord = z.object({
  version: z.literal(1),
  gpu_type: z.enum(GPU_TYPE_IDS),
  gpu_count: z.literal(GPU_COUNTS),
  preset: z.enum(TEXT_PRESET_IDS).nullable(),
  estimate: TextEstimate.nullable(),
  estimate_unavailable: z.string().nullable(),
});
export type EstimateRecord = z.infer<typeof EstimateRecord>;

export function estimateRecord(choice: TextChoice, estimate: TextEstimate | null): EstimateRecord {
  return {
    version: 1,
    gpu_type: choice.gpuType,
    gpu_count: choice.gpuCount,
    preset: choice.preset,
    estimate,
    estimate_unavailable: estimate ? null : "the dataset's quality report has no token statistics",
  };
}

export const CPU_REFERENCE_BASIS = "cpu-reference runs on the worker's CPU: no GPU billed";

export interface JobCostView {
  cost_estimate_usd: string | null;
  estimate: TextEstimate | null;
  gpu: { type: GpuTypeId; count: GpuCount } | null;
  cost_so_far_usd: number | null;
  cost_basis: string | null;
}

/**
 * Cost so far = billed seconds (started_at → finished_at, or now while running) × the chosen
 * GPU's price × GPU count. Jobs without a GPU choice (image LoRAs) answer null: their cost is
 * only known from the GPU the worker reports, in cost_actual_usd.
 */
export function jobCostView(job: LoraJob, now: Date): JobCostView {
  const parsed = EstimateRecord.safeParse(job.estimateJson);
  const record = parsed.success ? parsed.data : null;
  const gpu = record ? { type: record.gpu_type, count: record.gpu_count } : null;
  const base = { cost_estimate_usd: job.costEstimateUsd, estimate: record?.estimate ?? null, gpu };
  if (job.backend === 'cpu-reference') return { ...base, cost_so_far_usd: 0, cost_basis: CPU_REFERENCE_BASIS };
  if (!gpu) return { ...base, cost_so_far_usd: null, cost_basis: null };
  if (!job.startedAt) return { ...base, cost_so_far_usd: 0, cost_basis: 'Not started yet: nothing billed.' };
  const seconds = Math.max(0, ((job.finishedAt ?? now).getTime() - job.startedAt.getTime()) / 1000);
  const rate = GPU_USD_PER_HOUR[gpu.type];
  const usd = Math.round((seconds / 3600) * rate * gpu.count * 1e4) / 1e4;
  const until = job.finishedAt ? 'finished' : 'now';
  return {
    ...base,
    cost_so_far_usd: usd,
    cost_basis: `${Math.round(seconds).toLocaleString('en-US')} s (started → ${until}) × ${gpu.count} × ${gpuTypeOf(gpu.type).label} at $${rate.toFixed(2)} per GPU-hour, the GPU chosen at creation.`,
  };
}

// The pieces job creation and POST /api/lora/jobs/estimate share around estimateTextJob: which
// text options a base accepts, the train-split tokens a dataset's quality report gives, and the
// estimate for a stored dataset row. Same inputs → same numbers in the form and on the job.
import { z } from 'zod';
import { DEFAULT_GPU, presetParams, type GpuCount, type GpuTypeId, type TextPresetId } from '@/server/catalog/text-presets';
import type { BaseModel, LoraDataset } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { estimateTextJob, type EstimateBase, type EstimateDatasetFacts, type TokenCountMethod } from './estimate.ts';
import type { TextEstimate } from './schemas.ts';

export interface TextChoice {
  preset: TextPresetId | null;
  gpuType: GpuTypeId;
  gpuCount: GpuCount;
}

const field = (path: string, message: string) => new ValidationError(`Request body is invalid at "${path}": ${message}.`, [{ path, code: 'invalid_value', message }]);

/** Preset and GPU choice of a text base (defaults filled); null for image bases, which refuse them. */
export function textChoiceFor(base: BaseModel, input: { preset?: TextPresetId; gpu_type?: GpuTypeId; gpu_count?: GpuCount }): TextChoice | null {
  if (base.modality !== 'text') {
    for (const key of ['preset', 'gpu_type', 'gpu_count'] as const) {
      if (input[key] !== undefined) throw field(key, `${key} applies to text LoRAs only; ${base.name} is an image base`);
    }
    return null;
  }
  return { preset: input.preset ?? null, gpuType: input.gpu_type ?? DEFAULT_GPU.type, gpuCount: input.gpu_count ?? DEFAULT_GPU.count };
}

/** The preset's params to start from, or undefined to start from the base model's defaults. */
export const presetParamsOf = (choice: TextChoice | null): Record<string, unknown> | undefined => (choice?.preset ? { ...presetParams(choice.preset) } : undefined);

export const estimateBaseOf = (b: BaseModel): EstimateBase => ({
  id: b.id,
  name: b.name,
  contextLength: b.contextLength,
  throughput: Object.fromEntries(Object.entries(b.throughput).filter((e): e is [string, number] => typeof e[1] === 'number')),
});

// Only the report fields the estimate reads (text-datasets/validation/report-schema.ts owns the
// full shape); an older or partial report simply yields no token facts.
const ReportTokens = z.object({
  bytes: z.number().nonnegative().optional(),
  tokenizer: z.object({ method: z.enum(['full', 'sample-extrapolated']), name: z.string().optional() }),
  stats: z.object({
    conversations: z.number().int().nonnegative(),
    tokens: z.object({ total: z.number().nonnegative(), per_conversation: z.object({ max: z.number().nonnegative() }).optional() }),
    split: z.object({ train: z.number().int().nonnegative() }),
  }),
});

export interface DatasetTokens {
  tokensPerEpoch: number;
  method: TokenCountMethod;
  facts: EstimateDatasetFacts;
}

/**
 * Train-split tokens from a text dataset's quality report. The report totals tokens over all
 * usable conversations and counts conversations per split, so the train share is pro rata.
 */
export function datasetTokens(ds: LoraDataset): DatasetTokens | null {
  const parsed = ReportTokens.safeParse(ds.qualityReportJson);
  if (!parsed.success) return null;
  const { stats, tokenizer, bytes } = parsed.data;
  const tokensPerEpoch = stats.conversations > 0 ? Math.round((stats.tokens.total * stats.split.train) / stats.conversations) : 0;
  return {
    tokensPerEpoch,
    method: tokenizer.method,
    facts: {
      bytes: ds.totalBytes ?? bytes ?? ds.archiveBytes ?? null,
      trainConversations: stats.split.train,
      conversations: stats.conversations,
      longestConversationTokens: stats.tokens.per_conversation?.max ? Math.ceil(stats.tokens.per_conversation.max) : null,
      tokenizer: tokenizer.name ?? null,
    },
  };
}

/** The estimate for a stored dataset, or null when its report carries no token statistics. */
export function estimateForDataset(p: { base: BaseModel; params: Record<string, unknown>; choice: TextChoice; dataset: LoraDataset }): TextEstimate | null {
  const tokens = datasetTokens(p.dataset);
  if (!tokens) return null;
  return estimateTextJob({
    base: estimateBaseOf(p.base),
    tokensPerEpoch: tokens.tokensPerEpoch,
    tokenMethod: tokens.method,
    params: p.params,
    gpuType: p.choice.gpuType,
    gpuCount: p.choice.gpuCount,
    preset: p.choice.preset,
    dataset: tokens.facts,
  });
}

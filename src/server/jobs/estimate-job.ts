import { eq } from 'drizzle-orm';
import { presetParams } from '@/server/catalog/text-presets';
import { baseModels, type LoraDataset } from '@/server/db/schema/index.ts';
import { getDatasetOrThrow } from '@/server/datasets/internal';
import { PreconditionFailedError, ValidationError } from '@/server/errors';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { estimateTextJob } from './estimate.ts';
import { resolveParams } from './params.ts';
import type { EstimateJobInput, TextEstimate } from './schemas.ts';
import { datasetTokens, estimateBaseOf, type DatasetTokens } from './text-estimate.ts';

const field = (path: string, message: string) => new ValidationError(`Request body is invalid at "${path}": ${message}.`, [{ path, code: 'invalid_value', message }]);

function readyTokens(dataset: LoraDataset): DatasetTokens {
  if (dataset.status !== 'ready') throw new PreconditionFailedError(`Dataset ${dataset.id} is ${dataset.status}, not ready. Finish uploading and validating it first.`, { dataset_status: dataset.status });
  const tokens = datasetTokens(dataset);
  if (!tokens) throw new PreconditionFailedError(`Dataset ${dataset.id} has no token statistics in its quality report. Validate it again.`);
  return tokens;
}

/**
 * Cost and duration of a text LoRA run before it starts. Read-only. Order of refusals as in job
 * creation: another workspace's dataset 404 → what was sent 422 → the dataset's state 412.
 */
export async function estimateJob({ ctx, input }: { ctx: ServiceContext; input: EstimateJobInput }): Promise<TextEstimate> {
  const ws = requireWorkspace(ctx);
  const dataset = input.dataset_id ? await getDatasetOrThrow(ctx.db, ws, input.dataset_id) : null;
  const [base] = await ctx.db.select().from(baseModels).where(eq(baseModels.id, input.base_model));
  if (!base || !base.enabled) throw field('base_model', `unknown base model "${input.base_model}"`);
  if (base.modality !== 'text') throw field('base_model', `estimates are for text LoRAs; ${base.name} is an image base`);
  if (dataset && dataset.modality !== 'text') throw field('dataset_id', `estimates are for text LoRAs; dataset ${dataset.id} is an image dataset`);
  const params = resolveParams(base, input.params, input.preset ? { ...presetParams(input.preset) } : undefined);

  const tokens = dataset ? readyTokens(dataset) : null;
  return estimateTextJob({
    base: estimateBaseOf(base),
    tokensPerEpoch: tokens?.tokensPerEpoch ?? input.tokens!,
    tokenMethod: tokens?.method ?? 'caller-supplied',
    params,
    gpuType: input.gpu_type,
    gpuCount: input.gpu_count,
    preset: input.preset ?? null,
    dataset: tokens?.facts ?? null,
  });
}

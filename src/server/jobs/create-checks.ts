// Everything POST /api/lora/jobs checks before it writes, in the order a person can act on:
// ownership (404) → what they sent (422) → the dataset's state (412). Quota comes after, in
// the transaction, so another workspace's id never reveals anything about plans.
import { and, eq, isNull } from 'drizzle-orm';
import { env } from '@/env';
import type { DbOrTx } from '@/server/db';
import { baseModels, loraDatasets, targetPlatforms, type BaseModel, type LoraDataset, type LoraModel } from '@/server/db/schema/index.ts';
import { NotFoundError, PreconditionFailedError, ValidationError } from '@/server/errors';
import { getModelOrThrow } from '@/server/models/internal';
import { replicateTrainerFor } from '@/server/providers/replicate/trainers';
import type { CreateJobInput } from './schemas.ts';

export interface CheckedInputs {
  model: LoraModel;
  dataset: LoraDataset;
  base: BaseModel;
  targetPlatform: string | null;
}

const field = (path: string, message: string) => new ValidationError(`Request body is invalid at "${path}": ${message}.`, [{ path, code: 'invalid_value', message }]);

async function checkBase(db: DbOrTx, id: string, modality: 'image' | 'text'): Promise<BaseModel> {
  const [base] = await db.select().from(baseModels).where(eq(baseModels.id, id));
  if (!base || !base.enabled) {
    const [platform] = await db.select({ id: targetPlatforms.id, name: targetPlatforms.name }).from(targetPlatforms).where(eq(targetPlatforms.id, id));
    if (platform) throw field('base_model', `"${platform.name}" is a target platform, not a trainable base model; pick a base such as flux-dev and pass the platform as target_platform`);
    throw field('base_model', `unknown base model "${id}"`);
  }
  if (base.modality !== modality) throw field('base_model', `${base.name} is a ${base.modality} base; this dataset is ${modality}`);
  return base;
}

export function checkDatasetReady(ds: LoraDataset): void {
  if (ds.status !== 'ready') {
    throw new PreconditionFailedError(`Dataset ${ds.id} is ${ds.status}, not ready. Finish uploading and validating it first.`, { dataset_status: ds.status });
  }
  if (ds.verdict === 'block') {
    const reasons = (ds.qualityReportJson as { reasons?: unknown } | null)?.reasons;
    throw new PreconditionFailedError('The dataset quality report blocks training. Fix the problems it lists and validate again.', {
      verdict: 'block',
      reasons: Array.isArray(reasons) ? reasons : [],
    });
  }
  if (!ds.archiveKey || !ds.archiveSha256 || !ds.archiveBytes || !(ds.imageCount ?? ds.exampleCount)) {
    throw new PreconditionFailedError(`Dataset ${ds.id} has no training archive yet. Commit it again.`);
  }
}

function checkProvider(provider: CreateJobInput['provider'], base: BaseModel): void {
  if (provider === 'webhook_worker' && !env().WORKER_URL) throw field('provider', 'webhook_worker needs WORKER_URL to be configured on the server');
  if (provider === 'replicate') {
    if (!env().REPLICATE_API_TOKEN) throw field('provider', 'replicate needs REPLICATE_API_TOKEN to be configured on the server');
    if (!replicateTrainerFor(base)) throw field('provider', `Replicate has no trainer configured for ${base.name}`);
  }
}

export async function checkCreateInputs(db: DbOrTx, ws: string, input: CreateJobInput): Promise<CheckedInputs> {
  const model = await getModelOrThrow(db, ws, input.model_id);
  const [dataset] = await db
    .select()
    .from(loraDatasets)
    .where(and(eq(loraDatasets.id, input.dataset_id), eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.deletedAt)));
  if (!dataset) throw new NotFoundError('Dataset', input.dataset_id);
  if (dataset.loraModelId !== model.id) throw field('dataset_id', `dataset ${dataset.id} belongs to another LoRA`);
  const base = await checkBase(db, input.base_model, dataset.modality);
  let targetPlatform: string | null = null;
  if (input.target_platform) {
    const [tp] = await db.select({ id: targetPlatforms.id }).from(targetPlatforms).where(eq(targetPlatforms.id, input.target_platform));
    if (!tp) throw field('target_platform', `unknown target platform "${input.target_platform}"`);
    targetPlatform = tp.id;
  }
  checkProvider(input.provider, base);
  return { model, dataset, base, targetPlatform };
}


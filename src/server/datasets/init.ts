import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { newId } from '@/server/ids';
import { getModelOrThrow } from '@/server/models/internal';
import { assertWithinLimit } from '@/server/plans/limits';
import { getStorage } from '@/server/storage';
import { datasetUploadKey } from '@/server/storage/keys';
import { initTextDataset } from '@/server/text-datasets/init';
import { getDatasetOrThrow, planOf, type PlannedUpload } from './internal.ts';
import { IMAGE_UPLOAD_TTL_SECONDS, RAW_UPLOAD_GRACE_MS } from './raw-uploads.ts';
import { IMAGE_CONTENT_TYPES, MAX_IMAGE_BYTES, type InitDatasetInput } from './schemas.ts';

const HEIC = /\.(heic|heif)$/i;
const CONVERSATIONS = /\.(jsonl|json|ndjson)$/i;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** Refuse what we can already see is wrong, naming the file; commit re-checks the real bytes. */
function checkFile(f: InitDatasetInput['files'][number]): string | null {
  const type = f.content_type.toLowerCase();
  if (CONVERSATIONS.test(f.name)) return `${f.name} is a conversation file; it belongs to a text LoRA. This LoRA trains on photos (JPEG, PNG, WebP or AVIF).`;
  if (f.size > MAX_IMAGE_BYTES) return `${f.name} is ${mb(f.size)}; a photo can be at most ${mb(MAX_IMAGE_BYTES)}.`;
  if (HEIC.test(f.name) || type === 'image/heic' || type === 'image/heif') {
    return `${f.name} is a HEIC/HEIF photo. Convert it to JPEG first (on an iPhone: Settings → Camera → Formats → Most Compatible, or export as JPEG).`;
  }
  if (!(IMAGE_CONTENT_TYPES as readonly string[]).includes(type)) {
    return `${f.name} is ${type || 'of an unknown type'}; upload JPEG, PNG, WebP or AVIF photos.`;
  }
  return null;
}

export async function initDataset({ ctx, input }: { ctx: ServiceContext; input: InitDatasetInput }) {
  const ws = requireWorkspace(ctx);
  // The LoRA's modality decides the flow: one conversation file for text, photos for images.
  const owner = await getModelOrThrow(ctx.db, ws, input.model_id);
  if (owner.modality === 'text') return initTextDataset({ ctx, input, model: owner });
  const problems = input.files.map((f, i) => ({ index: i, name: f.name, message: checkFile(f) })).filter((p) => p.message);
  if (problems.length > 0) {
    throw new ValidationError(problems.length === 1 ? problems[0]!.message! : `${problems.length} files cannot be used: ${problems.map((p) => p.name).join(', ')}.`, {
      files: problems.map((p) => ({ path: `files.${p.index}`, name: p.name, message: p.message })),
    });
  }
  return withTransaction(ctx, async (tx) => {
    const model = await getModelOrThrow(tx.db, ws, input.model_id);
    if (model.modality !== 'image') throw new ValidationError(`LoRA ${model.id} is a text LoRA; upload a conversation file instead of photos.`);
    let dataset;
    if (input.dataset_id) {
      dataset = await getDatasetOrThrow(tx.db, ws, input.dataset_id, { forUpdate: true });
      if (dataset.loraModelId !== model.id) throw new ValidationError(`Dataset ${dataset.id} belongs to another LoRA.`);
    }
    // Ownership before quota. Refused here, before any URL is signed; commit re-checks the
    // real sizes. The announced bytes stay reserved while their URLs are valid.
    if (!dataset) await assertWithinLimit(tx, 'datasets');
    await assertWithinLimit(tx, 'storage_gb', undefined, { adding: input.files.reduce((s, f) => s + f.size, 0) });
    if (!dataset) {
      [dataset] = await tx.db
        .insert(loraDatasets)
        .values({ id: newId('dataset'), workspaceId: ws, ownerId: actorUserId(ctx)!, loraModelId: model.id, modality: 'image', name: `${model.name} photos` })
        .returning();
    }
    const { driver } = getStorage();
    const planned: PlannedUpload[] = [];
    const uploads = [];
    for (const f of input.files) {
      const uploadId = newId('upload');
      const key = datasetUploadKey({ workspaceId: ws, datasetId: dataset!.id, uploadId, filename: f.name });
      const signed = await driver.presignPut({ key, contentType: f.content_type.toLowerCase(), maxBytes: f.size, expiresInSeconds: IMAGE_UPLOAD_TTL_SECONDS });
      planned.push({ upload_id: uploadId, key, filename: f.name, bytes: f.size, content_type: f.content_type.toLowerCase(), expires_at: signed.expiresAt.toISOString() });
      uploads.push({ upload_id: uploadId, key, filename: f.name, method: 'PUT' as const, url: signed.url, headers: signed.headers, expires_at: signed.expiresAt.toISOString() });
    }
    // Raw uploads are swept until every link of this batch has expired and its grace to commit is over (raw-uploads.ts).
    const lastExpiry = Math.max(...uploads.map((u) => Date.parse(u.expires_at)));
    const uploadsSweepAt = new Date(Math.max(lastExpiry + RAW_UPLOAD_GRACE_MS, dataset!.uploadsSweepAt?.getTime() ?? 0));
    await tx.db
      .update(loraDatasets)
      .set({ uploadPlan: { files: [...planOf(dataset!).files, ...planned] }, status: 'uploading', uploadsSweepAt, updatedAt: new Date() })
      .where(eq(loraDatasets.id, dataset!.id));
    await recordAudit(tx, { action: 'dataset.init', targetType: 'lora_dataset', targetId: dataset!.id, metadata: { files: input.files.length } });
    return { dataset_id: dataset!.id, status: 'uploading', uploads };
  });
}

import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import type { InitDatasetInput, UploadTarget } from '@/server/datasets/schemas';
import { baseModels, loraDatasets, type LoraModel } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { newId } from '@/server/ids';
import { assertWithinLimit } from '@/server/plans/limits';
import { getStorage } from '@/server/storage';
import { textDatasetFileKey } from '@/server/storage/keys';
import { MAX_UPLOAD_BYTES, MIN_PART_BYTES, MULTIPART_THRESHOLD, planParts } from '@/server/storage/multipart';
import type { TextPlannedUpload, TextUploadPlan } from './plan.ts';

export const DEFAULT_TEXT_BASE = 'llama-3.1-8b-instruct';
const SINGLE_TTL_SECONDS = 60 * 60;
// A 10 GiB file over a slow uplink takes hours; every part is signed at init, so they must last.
const MULTIPART_TTL_SECONDS = 6 * 60 * 60;

const TEXT_NAME = /\.(jsonl|json|ndjson)$/i;
// What browsers and tools report for JSON Lines / JSON (often nothing at all for .jsonl).
const TEXT_TYPES = new Set(['', 'application/jsonl', 'application/x-jsonlines', 'application/x-ndjson', 'application/ndjson', 'application/json', 'text/plain', 'application/octet-stream']);
const baseType = (t: string) => t.toLowerCase().split(';')[0]!.trim();

/** Why this file cannot be a conversation dataset, or null. Commit and validation read the real bytes. */
function refuse(model: LoraModel, f: InitDatasetInput['files'][number]): string | null {
  const type = baseType(f.content_type);
  if (type.startsWith('image/') || /\.(jpe?g|png|webp|avif|heic|heif)$/i.test(f.name)) {
    return `LoRA ${model.id} is a text LoRA: upload one conversation file (.jsonl or .json), not photos.`;
  }
  if (!TEXT_NAME.test(f.name)) return `${f.name} is not a .jsonl or .json file. Export your conversations as JSON Lines (one conversation per line) or a JSON array.`;
  if (!TEXT_TYPES.has(type)) return `${f.name} is reported as ${type}; upload it as application/jsonl or application/json.`;
  if (f.size > MAX_UPLOAD_BYTES) return `${f.name} is larger than 10 GiB; split it into several files.`;
  return null;
}

async function textBase(ctx: ServiceContext, id: string) {
  const [base] = await ctx.db.select().from(baseModels).where(eq(baseModels.id, id));
  if (base?.modality === 'text' && base.contextLength) return { id: base.id, contextLength: base.contextLength };
  const known = (await ctx.db.select({ id: baseModels.id, modality: baseModels.modality }).from(baseModels)).filter((b) => b.modality === 'text').map((b) => b.id);
  throw new ValidationError(`"${id}" is not a text base model (${known.sort().join(', ')}).`, { path: 'base_model' });
}

/** A new dataset (`datasets`) holding `bytes` more (`storage_gb`); the caller's transaction. */
async function assertRoomFor(tx: ServiceContext, bytes: number): Promise<void> {
  await assertWithinLimit(tx, 'datasets');
  await assertWithinLimit(tx, 'storage_gb', undefined, { adding: bytes });
}

/**
 * A new dataset for one conversation file and its signed upload: one PUT below the multipart
 * threshold, otherwise a storage multipart upload with every part signed now (the browser
 * sends them in parallel and commits with their ETags).
 */
export async function initTextDataset({ ctx, input, model }: { ctx: ServiceContext; input: InitDatasetInput; model: LoraModel }) {
  const ws = requireWorkspace(ctx);
  if (input.dataset_id) throw new ValidationError('Each conversation file is its own dataset: leave dataset_id out.', { path: 'dataset_id' });
  if (input.files.length !== 1) throw new ValidationError(`A text LoRA takes exactly one conversation file per upload, not ${input.files.length}.`, { path: 'files' });
  const file = input.files[0]!;
  const problem = refuse(model, file);
  if (problem) throw new ValidationError(problem, { files: [{ path: 'files.0', name: file.name, message: problem }] });
  const base = await textBase(ctx, input.base_model ?? DEFAULT_TEXT_BASE);
  // Refused before storage is asked for anything: no multipart upload, no signed part. The
  // insert below checks again under the quota lock (a parallel init may have taken the room).
  await withTransaction(ctx, (tx) => assertRoomFor(tx, file.size));

  const datasetId = newId('dataset');
  const uploadId = newId('upload');
  const key = textDatasetFileKey({ workspaceId: ws, datasetId });
  const contentType = baseType(file.content_type) ? file.content_type.toLowerCase() : 'application/octet-stream';
  const useParts = file.size >= MULTIPART_THRESHOLD || (input.multipart === true && file.size > MIN_PART_BYTES);
  const { driver } = getStorage();
  const planned: TextPlannedUpload = { upload_id: uploadId, key, filename: file.name, bytes: file.size, content_type: contentType };
  const target: UploadTarget = { upload_id: uploadId, key, filename: file.name, method: 'PUT', expires_at: '' };

  // Storage calls happen before the transaction: no row lock is held across network I/O.
  if (useParts) {
    const { partSize, parts } = planParts(file.size);
    const { uploadId: storageUploadId } = await driver.createMultipart({ key, contentType });
    const signed = await Promise.all(
      parts.map(async (p) => ({ p, s: await driver.presignPart({ key, uploadId: storageUploadId, partNumber: p.partNumber, maxBytes: p.bytes, expiresInSeconds: MULTIPART_TTL_SECONDS }) })),
    );
    planned.multipart = { upload_id: storageUploadId, part_size: partSize, parts: parts.length };
    target.expires_at = signed[0]!.s.expiresAt.toISOString();
    planned.expires_at = target.expires_at;
    target.multipart = {
      upload_id: storageUploadId,
      part_size: partSize,
      parts: signed.map(({ p, s }) => ({ part_number: p.partNumber, bytes: p.bytes, url: s.url, headers: s.headers })),
    };
  } else {
    const signed = await driver.presignPut({ key, contentType, maxBytes: file.size, expiresInSeconds: SINGLE_TTL_SECONDS });
    target.url = signed.url;
    target.headers = signed.headers;
    target.expires_at = signed.expiresAt.toISOString();
    planned.expires_at = target.expires_at;
  }

  const plan: TextUploadPlan = { files: [planned], base_model: base.id, context_length: base.contextLength };
  try {
    await withTransaction(ctx, async (tx) => {
      await assertRoomFor(tx, file.size);
      await tx.db.insert(loraDatasets).values({
        id: datasetId,
        workspaceId: ws,
        ownerId: actorUserId(ctx)!,
        loraModelId: model.id,
        modality: 'text',
        name: file.name,
        status: 'uploading',
        uploadPlan: plan as unknown as Record<string, unknown>,
      });
      await recordAudit(tx, {
        action: 'dataset.init',
        targetType: 'lora_dataset',
        targetId: datasetId,
        metadata: { files: 1, bytes: file.size, base_model: base.id, multipart: planned.multipart?.parts ?? null },
      });
    });
  } catch (err) {
    if (planned.multipart) await driver.abortMultipart({ key, uploadId: planned.multipart.upload_id }).catch(() => undefined);
    throw err;
  }
  return { dataset_id: datasetId, status: 'uploading', uploads: [target] };
}

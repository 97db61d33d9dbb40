import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { getDatasetOrThrow, toDatasetView } from '@/server/datasets/internal';
import type { CommitDatasetInput } from '@/server/datasets/schemas';
import { loraDatasets, type LoraDataset } from '@/server/db/schema/index.ts';
import { AppError, ValidationError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { assertWithinLimit } from '@/server/plans/limits';
import { getStorage } from '@/server/storage';
import { textPlanOf, type TextPlannedUpload, type TextUploadPlan } from './plan.ts';
import { startTextValidation } from './registry.ts';

// Committing again after a finished or running validation is a replay: the current view.
// `failed` may be committed again (e.g. after a storage hiccup) and validates once more.
const SETTLED = new Set<LoraDataset['status']>(['validating', 'ready', 'rejected']);

/** Finish a multipart upload, unless an earlier commit already did (the object then exists). */
async function completeParts(file: TextPlannedUpload, parts: NonNullable<CommitDatasetInput['files'][number]['parts']>) {
  const { driver } = getStorage();
  if (!file.multipart || (await driver.head(file.key))) return;
  const sorted = [...parts].sort((a, b) => a.part_number - b.part_number);
  try {
    await driver.completeMultipart({ key: file.key, uploadId: file.multipart.upload_id, parts: sorted.map((p) => ({ partNumber: p.part_number, etag: p.etag })) });
  } catch (err) {
    // The storage refused the parts (missing, wrong ETag, too small): nothing changed, retry.
    if (err instanceof AppError) throw new ValidationError(`The upload is incomplete: ${err.message}`, { key: file.key });
    throw err;
  }
}

/**
 * Commit the uploaded conversation file: finish the multipart upload, check the object exists
 * with exactly the announced size, then mark the dataset `validating` (with the audit row) and
 * start the background validation, which re-hashes the bytes against the client's sha256.
 */
export async function commitTextDataset({ ctx, dataset, input }: { ctx: ServiceContext; dataset: LoraDataset; input: CommitDatasetInput }) {
  const ws = requireWorkspace(ctx);
  if (SETTLED.has(dataset.status)) return toDatasetView(dataset, []);
  const plan = textPlanOf(dataset);
  if (!plan) throw new ValidationError(`Dataset ${dataset.id} has no upload to commit; start a new upload.`);
  const file = plan.files[0]!;
  if (input.files.length !== 1) throw new ValidationError(`A text dataset has exactly one file; commit it alone (got ${input.files.length}).`, { path: 'files' });
  const sent = input.files[0]!;
  if (sent.key !== file.key) throw new ValidationError(`${sent.key} is not an upload of dataset ${dataset.id}; use the key its init returned.`, { path: 'files.0.key' });
  if (file.multipart && !sent.parts && !(await getStorage().driver.head(file.key))) {
    throw new ValidationError(`The upload is incomplete: ${file.filename} was sent in ${file.multipart.parts} parts; commit with every part's number and ETag.`, { path: 'files.0.parts' });
  }
  if (file.multipart && sent.parts) await completeParts(file, sent.parts);

  const head = await getStorage().driver.head(file.key);
  if (!head) throw new ValidationError(`${file.filename} was not uploaded (no object at its key). Upload it to the URL from init, then commit again.`, { key: file.key });
  if (head.bytes !== file.bytes) throw new ValidationError(`${file.filename} has ${head.bytes} bytes, but ${file.bytes} were announced at init.`, { key: file.key });

  const view = await withTransaction(ctx, async (tx) => {
    const now = await getDatasetOrThrow(tx.db, ws, dataset.id, { forUpdate: true });
    if (SETTLED.has(now.status)) return { view: await toDatasetView(now, []), started: false }; // a concurrent commit won
    // Storage re-checked with the stored size, replacing what init reserved for this file.
    await assertWithinLimit(tx, 'storage_gb', undefined, { adding: Math.max(0, head.bytes - (now.totalBytes ?? 0)), replacingPendingOf: dataset.id });
    const committed: TextUploadPlan = { ...plan, files: [{ ...file, client_sha256: sent.sha256 }] };
    const [row] = await tx.db
      .update(loraDatasets)
      .set({
        status: 'validating',
        validationProgress: 0,
        error: null,
        verdict: null,
        qualityReportJson: null,
        totalBytes: head.bytes,
        uploadPlan: committed as unknown as Record<string, unknown>,
        committedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(loraDatasets.id, dataset.id))
      .returning();
    await recordAudit(tx, { action: 'dataset.commit', targetType: 'lora_dataset', targetId: dataset.id, metadata: { bytes: head.bytes, sha256: sent.sha256, multipart: file.multipart?.parts ?? null } });
    return { view: await toDatasetView(row!, []), started: true };
  });
  // The file is committed to the sha256 sent now; validation hashes the very stream it turns
  // into the training JSONL. No upload to this key is accepted from now on (local driver; S3
  // cannot revoke a presigned PUT, and a late one only fails a re-validation's checksum).
  if (view.started) await getStorage().driver.closeUploads(file.key).catch((err: unknown) => ctx.log.warn({ err, datasetId: dataset.id }, 'upload slot not closed'));
  // After the commit is durable, never awaited by the request: progress shows on the dataset.
  if (view.started) startTextValidation(dataset.id);
  return view.view;
}

import { and, eq, inArray } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { normalizeImage } from '@/server/datasets/images';
import { loraDatasetItems, loraDatasets, type LoraDatasetItem } from '@/server/db/schema/index.ts';
import { ConflictError, ValidationError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { newId } from '@/server/ids';
import { getModelOrThrow } from '@/server/models/internal';
import { assertWithinLimit } from '@/server/plans/limits';
import { getStorage } from '@/server/storage';
import { datasetNormalizedKey, datasetThumbnailKey } from '@/server/storage/keys';
import { commitTextDataset } from '@/server/text-datasets/commit';
import { rebuildArchive } from './commit-archive.ts';
import { verifyUpload, type FileProblem, type VerifiedFile } from './commit-verify.ts';
import { getDatasetOrThrow, itemsOf, planOf, toDatasetView } from './internal.ts';
import { retireRawUploads } from './raw-uploads.ts';
import type { CommitDatasetInput } from './schemas.ts';

type NewItem = typeof loraDatasetItems.$inferInsert;

/** Normalized copy + thumbnail; an undecodable image is kept as a rejected item with no copy. */
async function storeCopies(ws: string, datasetId: string, v: VerifiedFile, position: number, written: string[]): Promise<NewItem> {
  const { driver } = getStorage();
  const id = newId('datasetItem');
  const base: NewItem = { id, datasetId, storageKey: v.plan.key, filename: v.plan.filename, contentType: `image/${v.format}`, bytes: v.bytes.length, sha256: v.sha256, position };
  try {
    const n = await normalizeImage(v.bytes, { filename: v.plan.filename });
    const normalizedKey = datasetNormalizedKey({ workspaceId: ws, datasetId, itemId: id, ext: 'jpg' });
    const thumbnailKey = datasetThumbnailKey({ workspaceId: ws, datasetId, itemId: id });
    written.push(normalizedKey);
    await driver.putStream(normalizedKey, n.image, { contentType: n.contentType, maxBytes: n.image.length });
    written.push(thumbnailKey);
    await driver.putStream(thumbnailKey, n.thumbnail, { contentType: n.thumbnailContentType, maxBytes: n.thumbnail.length });
    return { ...base, normalizedKey, thumbnailKey, width: n.width, height: n.height, facts: { source: n.source } };
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return { ...base, status: 'rejected', facts: { commit_rejection: err.details ?? err.message } };
  }
}

/**
 * Commit uploaded photos: every object is re-read and checked (existence, size, sha256, magic
 * bytes) before anything is written. Any problem → 422 listing each file, nothing written.
 * Replaying a commit is harmless: keys already committed are skipped.
 */
export async function commitDataset({ ctx, input }: { ctx: ServiceContext; input: CommitDatasetInput }) {
  const ws = requireWorkspace(ctx);
  const dataset = await getDatasetOrThrow(ctx.db, ws, input.dataset_id);
  if (dataset.modality === 'text') return commitTextDataset({ ctx, dataset, input });
  const plan = new Map(planOf(dataset).files.map((f) => [f.key, f]));
  const existing = await itemsOf(ctx.db, dataset.id);
  const done = new Set(existing.map((i) => i.storageKey));
  const problems: FileProblem[] = [];
  const seen = new Set<string>();
  for (const f of input.files) {
    if (seen.has(f.key)) problems.push({ key: f.key, filename: plan.get(f.key)?.filename ?? null, message: `${f.key} is listed twice.` });
    seen.add(f.key);
    if (!plan.has(f.key)) problems.push({ key: f.key, filename: null, message: `${f.key} is not an upload of dataset ${dataset.id}; use the keys its init returned.` });
  }
  const todo = input.files.filter((f) => plan.has(f.key) && !done.has(f.key));
  const replayed = input.files.map((f) => f.key).filter((k) => done.has(k));
  const { driver } = getStorage();
  const verified: VerifiedFile[] = [];
  if (problems.length === 0) {
    for (const f of todo) {
      const r = await verifyUpload(driver, plan.get(f.key)!, f.sha256);
      if ('message' in r) problems.push(r);
      else verified.push(r);
    }
  }
  if (problems.length > 0) {
    throw new ValidationError(problems.length === 1 ? problems[0]!.message : `${problems.length} files failed the upload checks; nothing was committed.`, { files: problems });
  }
  if (verified.length === 0) {
    // A replay: nothing new. Its raw uploads are already gone, unless a late PUT brought one back.
    await retireRawUploads(driver, replayed, ctx.log);
    return toDatasetView(dataset, existing);
  }

  const model = await getModelOrThrow(ctx.db, ws, dataset.loraModelId);
  const written: string[] = [];
  try {
    const start = existing.reduce((m, i) => Math.max(m, i.position + 1), 0);
    const fresh: NewItem[] = [];
    for (const [i, v] of verified.entries()) fresh.push(await storeCopies(ws, dataset.id, v, start + i, written));
    const archive = await rebuildArchive(ws, dataset.id, [...existing, ...(fresh as LoraDatasetItem[])], model, written, dataset.archiveKey);
    return await withTransaction(ctx, async (tx) => {
      await getDatasetOrThrow(tx.db, ws, dataset.id, { forUpdate: true });
      // Storage re-checked with the real sizes, replacing what init reserved for these files.
      await assertWithinLimit(tx, 'storage_gb', undefined, { adding: fresh.reduce((s, f) => s + f.bytes!, 0), replacingPendingOf: dataset.id });
      const clash = await tx.db
        .select({ key: loraDatasetItems.storageKey })
        .from(loraDatasetItems)
        .where(and(eq(loraDatasetItems.datasetId, dataset.id), inArray(loraDatasetItems.storageKey, fresh.map((f) => f.storageKey))));
      if (clash.length > 0) throw new ConflictError('Another commit of the same files is in progress; retry in a moment.');
      await tx.db.insert(loraDatasetItems).values(fresh);
      const all = [...existing, ...(fresh as LoraDatasetItem[])];
      const [row] = await tx.db
        .update(loraDatasets)
        .set({
          status: 'validating',
          verdict: null,
          qualityReportJson: null,
          datasetHash: archive.datasetHash,
          imageCount: all.length,
          totalBytes: all.reduce((s, i) => s + i.bytes, 0),
          archiveKey: archive.key,
          archiveSha256: archive.sha256,
          archiveBytes: archive.bytes,
          committedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(eq(loraDatasets.id, dataset.id))
        .returning();
      await recordAudit(tx, { action: 'dataset.commit', targetType: 'lora_dataset', targetId: dataset.id, metadata: { added: fresh.length, total: all.length, dataset_hash: archive.datasetHash } });
      return toDatasetView(row!, await itemsOf(tx.db, dataset.id));
    }).then(async (view) => {
      // The clean copies are committed: the raw uploads (EXIF, GPS) are never read again.
      await retireRawUploads(driver, [...verified.map((v) => v.plan.key), ...replayed], ctx.log);
      // The previous archive is unreferenced only once the new one is committed.
      if (dataset.archiveKey && dataset.archiveKey !== archive.key) await driver.delete(dataset.archiveKey).catch(() => undefined);
      return view;
    });
  } catch (err) {
    // Nothing half-written: objects this commit created go away with it.
    for (const key of written) await driver.delete(key).catch(() => undefined);
    throw err;
  }
}

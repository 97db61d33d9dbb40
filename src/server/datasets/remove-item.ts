import { and, eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasetItems, loraDatasets } from '@/server/db/schema/index.ts';
import { NotFoundError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getModelOrThrow } from '@/server/models/internal';
import { getStorage } from '@/server/storage';
import { rebuildArchive } from './commit-archive.ts';
import { datasetHashOf } from './archive.ts';
import { getDatasetOrThrow, itemsOf, toDatasetView } from './internal.ts';

/** Remove one photo (and its copies); the archive is rebuilt and the set must be validated again. */
export async function removeDatasetItem({ ctx, datasetId, itemId }: { ctx: ServiceContext; datasetId: string; itemId: string }) {
  const ws = requireWorkspace(ctx);
  const dataset = await getDatasetOrThrow(ctx.db, ws, datasetId);
  const items = await itemsOf(ctx.db, dataset.id);
  const item = items.find((i) => i.id === itemId);
  if (!item) throw new NotFoundError('Dataset item', itemId);
  const rest = items.filter((i) => i.id !== itemId);
  const model = await getModelOrThrow(ctx.db, ws, dataset.loraModelId);
  const written: string[] = [];
  const { driver } = getStorage();
  const archive = rest.length > 0 ? await rebuildArchive(ws, dataset.id, rest, model, written, dataset.archiveKey) : null;
  const view = await withTransaction(ctx, async (tx) => {
    await getDatasetOrThrow(tx.db, ws, dataset.id, { forUpdate: true });
    await tx.db.delete(loraDatasetItems).where(and(eq(loraDatasetItems.id, itemId), eq(loraDatasetItems.datasetId, dataset.id)));
    const [row] = await tx.db
      .update(loraDatasets)
      .set({
        status: rest.length > 0 ? 'validating' : 'uploading',
        verdict: null,
        qualityReportJson: null,
        imageCount: rest.length,
        totalBytes: rest.reduce((s, i) => s + i.bytes, 0),
        datasetHash: rest.length > 0 ? datasetHashOf(rest.map((i) => i.sha256)) : null,
        archiveKey: archive?.key ?? null,
        archiveSha256: archive?.sha256 ?? null,
        archiveBytes: archive?.bytes ?? null,
        committedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(loraDatasets.id, dataset.id))
      .returning();
    await recordAudit(tx, { action: 'dataset.remove_item', targetType: 'lora_dataset', targetId: dataset.id, metadata: { item_id: itemId, filename: item.filename } });
    return toDatasetView(row!, rest);
  }).catch(async (err: unknown) => {
    for (const key of written) await driver.delete(key).catch(() => undefined);
    throw err;
  });
  for (const key of [item.storageKey, item.normalizedKey, item.thumbnailKey, dataset.archiveKey !== archive?.key ? dataset.archiveKey : null]) {
    if (key) await driver.delete(key).catch(() => undefined);
  }
  return view;
}

import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { datasetPrefix } from '@/server/storage/keys';
import { stopTextDatasetWork } from '@/server/text-datasets/stop';
import { getDatasetOrThrow } from './internal.ts';

/** Soft-delete a dataset, then purge its photos, copies and archive from storage. */
export async function deleteDataset({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const ws = requireWorkspace(ctx);
  const dataset = await withTransaction(ctx, async (tx) => {
    const row = await getDatasetOrThrow(tx.db, ws, id, { forUpdate: true });
    await tx.db.update(loraDatasets).set({ deletedAt: new Date(), updatedAt: new Date() }).where(eq(loraDatasets.id, id));
    await recordAudit(tx, { action: 'dataset.delete', targetType: 'lora_dataset', targetId: id });
    return row;
  });
  if (dataset.modality === 'text') await stopTextDatasetWork(dataset, ctx.log);
  let purged = true;
  try {
    await getStorage().driver.deletePrefix(datasetPrefix(ws, id));
    await ctx.db.update(loraDatasets).set({ purgedAt: new Date() }).where(eq(loraDatasets.id, id));
  } catch (err) {
    purged = false; // the scheduler finishes purges of deleted rows
    ctx.log.warn({ err, datasetId: id }, 'dataset purge deferred');
  }
  return { id, deleted: true as const, purged };
}

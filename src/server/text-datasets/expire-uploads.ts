import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { withTransaction, type ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { textPlanOf } from './plan.ts';

/** Past the 6 h the multipart links are signed for (init.ts), plus an hour for a last commit. */
export const TEXT_UPLOAD_ABANDONED_MS = 7 * 60 * 60 * 1000;

/**
 * Text datasets whose upload was never committed (the browser closed, the client gave up):
 * marked `failed` with `upload_abandoned`, and their storage multipart upload aborted so its
 * parts stop costing money. The row is claimed by a conditional UPDATE, so two schedulers
 * never both act on it. Returns how many were expired.
 */
export async function expireAbandonedTextUploads(ctx: ServiceContext, now: Date = new Date(), max = 20): Promise<number> {
  const cutoff = new Date(now.getTime() - TEXT_UPLOAD_ABANDONED_MS);
  const abandoned = and(eq(loraDatasets.modality, 'text'), eq(loraDatasets.status, 'uploading'), isNull(loraDatasets.deletedAt), lt(loraDatasets.updatedAt, cutoff));
  const candidates = await ctx.db.select({ id: loraDatasets.id }).from(loraDatasets).where(abandoned).orderBy(asc(loraDatasets.updatedAt)).limit(max);
  const { driver } = getStorage();
  let expired = 0;
  for (const { id } of candidates) {
    const row = await withTransaction(ctx, async (tx) => {
      const [claimed] = await tx.db
        .update(loraDatasets)
        .set({ status: 'failed', error: { code: 'upload_abandoned', message: 'The upload was never completed and its signed links expired. Upload the file again.' }, updatedAt: now })
        .where(and(eq(loraDatasets.id, id), abandoned))
        .returning();
      if (claimed) await recordAudit(tx, { action: 'dataset.upload_abandoned', targetType: 'lora_dataset', targetId: id, workspaceId: claimed.workspaceId });
      return claimed;
    });
    if (!row) continue;
    expired++;
    const file = textPlanOf(row)?.files[0];
    if (file?.multipart) {
      await driver.abortMultipart({ key: file.key, uploadId: file.multipart.upload_id }).catch((err: unknown) => ctx.log.warn({ err, datasetId: id }, 'multipart abort failed'));
    }
    if (file) await driver.delete(file.key).catch(() => undefined); // a single PUT that arrived but was never committed
  }
  return expired;
}

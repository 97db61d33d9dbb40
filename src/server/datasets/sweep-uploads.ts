import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import { loraDatasetItems, loraDatasets } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { datasetPrefix } from '@/server/storage/keys';
import { planOf } from './internal.ts';
import { RAW_UPLOAD_GRACE_MS, retireRawUploads } from './raw-uploads.ts';

/**
 * Delete raw photo uploads nothing will read: a committed one (S3 lets a presigned PUT bring it
 * back until the link expires), one no init announced, and an uncommitted one whose link
 * expired more than the grace ago. A dataset stays on the list while `uploads_sweep_at` is in
 * the future; the first pass after it that leaves `uploads/` empty clears it, unless an init
 * moved it into the future meanwhile. Deletes are idempotent, so replicas sweeping together are harmless.
 * Returns how many objects went.
 */
export async function sweepRawUploads(ctx: ServiceContext, now: Date = new Date(), max = 50): Promise<number> {
  const due = and(eq(loraDatasets.modality, 'image'), isNotNull(loraDatasets.uploadsSweepAt), isNull(loraDatasets.deletedAt));
  const rows = await ctx.db.select().from(loraDatasets).where(due).orderBy(asc(loraDatasets.uploadsSweepAt)).limit(max);
  const { driver } = getStorage();
  let swept = 0;
  for (const d of rows) {
    const committed = new Set((await ctx.db.select({ key: loraDatasetItems.storageKey }).from(loraDatasetItems).where(eq(loraDatasetItems.datasetId, d.id))).map((r) => r.key));
    const plan = new Map(planOf(d).files.map((f) => [f.key, f]));
    const over = now >= d.uploadsSweepAt!;
    const stale: string[] = [];
    for await (const o of driver.list(`${datasetPrefix(d.workspaceId, d.id)}uploads/`)) {
      const f = plan.get(o.key);
      const expired = !f?.expires_at || now.getTime() >= Date.parse(f.expires_at) + RAW_UPLOAD_GRACE_MS;
      if (over || !f || committed.has(o.key) || expired) stale.push(o.key);
    }
    const retired = await retireRawUploads(driver, stale, ctx.log);
    swept += retired;
    // Still due (no init has moved it into the future since) and nothing failed: done.
    if (over && retired === stale.length) {
      await ctx.db
        .update(loraDatasets)
        .set({ uploadsSweepAt: null })
        .where(and(eq(loraDatasets.id, d.id), lte(loraDatasets.uploadsSweepAt, now)));
    }
  }
  return swept;
}

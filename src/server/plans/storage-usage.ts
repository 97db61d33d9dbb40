// The `storage_gb` counter: the bytes a workspace keeps, read under the quota lock.
//  * committed uploads: each dataset's `total_bytes` (commit sets it from the stored objects'
//    real sizes) until its objects are purged — a soft-deleted row still counts while its
//    purge is pending, and stops counting once `purged_at` is set;
//  * verified weights: each version's `artifact_bytes`, likewise until purged;
//  * uploads in progress: the declared size of every announced file not yet committed, while
//    its signed URL can still be used. Without this, parallel inits would each see the same
//    free space. A file whose URL expired can send nothing more; if it was sent in time, its
//    commit is re-checked with the real size.
// Derived copies (clean photo copies, thumbnails, the training zip or normalized JSONL) are the
// studio's working files, a bounded multiple of the upload, and are not counted.
import { and, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasetItems, loraDatasets, loraVersions } from '@/server/db/schema/index.ts';

interface AnnouncedFile {
  key?: unknown;
  bytes?: unknown;
  expires_at?: unknown;
}

/** Declared bytes of a dataset's announced, uncommitted, still-signed files. */
function pendingBytes(plan: unknown, committed: Set<string>, now: Date): number {
  const files = (plan as { files?: AnnouncedFile[] } | null)?.files;
  if (!Array.isArray(files)) return 0;
  let total = 0;
  for (const f of files) {
    if (typeof f.bytes !== 'number' || (typeof f.key === 'string' && committed.has(f.key))) continue;
    // Plans written before expiry was recorded hold their bytes while the dataset is uploading.
    if (typeof f.expires_at === 'string' && Date.parse(f.expires_at) <= now.getTime()) continue;
    total += f.bytes;
  }
  return total;
}

export async function storedBytes(db: DbOrTx, ws: string, now: Date, opts: { exceptPendingOf?: string } = {}): Promise<number> {
  const total = (col: SQL) => sql<string>`COALESCE(SUM(${col}), 0)`;
  const [datasets] = await db
    .select({ bytes: total(sql`${loraDatasets.totalBytes}`) })
    .from(loraDatasets)
    .where(and(eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.purgedAt)));
  const [versions] = await db
    .select({ bytes: total(sql`${loraVersions.artifactBytes}`) })
    .from(loraVersions)
    .where(and(eq(loraVersions.workspaceId, ws), isNull(loraVersions.purgedAt)));

  const uploading = await db
    .select({ id: loraDatasets.id, plan: loraDatasets.uploadPlan })
    .from(loraDatasets)
    .where(
      and(
        eq(loraDatasets.workspaceId, ws),
        eq(loraDatasets.status, 'uploading'),
        isNull(loraDatasets.deletedAt),
        opts.exceptPendingOf ? ne(loraDatasets.id, opts.exceptPendingOf) : undefined,
      ),
    );
  const committed = new Map<string, Set<string>>();
  if (uploading.length > 0) {
    const items = await db
      .select({ datasetId: loraDatasetItems.datasetId, key: loraDatasetItems.storageKey })
      .from(loraDatasetItems)
      .where(inArray(loraDatasetItems.datasetId, uploading.map((d) => d.id)));
    for (const i of items) committed.set(i.datasetId, (committed.get(i.datasetId) ?? new Set()).add(i.key));
  }
  const pending = uploading.reduce((s, d) => s + pendingBytes(d.plan, committed.get(d.id) ?? new Set(), now), 0);
  return Number(datasets?.bytes ?? 0) + Number(versions?.bytes ?? 0) + pending;
}

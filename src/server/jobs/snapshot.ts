// The dataset snapshot a job trains on (issue #11): the training file (images zip, or the
// normalized chat JSONL) that was validated and consented to, pinned on the version at create
// by key, sha256 and size. Every later use — a lease, a push, a Replicate training, a retry —
// goes through `loadPinnedSnapshot`, so nothing ever trains on the dataset "as it is now".
//
// Invariant: the pinned snapshot is usable only while the dataset still holds it (same key and
// sha256 on the dataset row, not deleted) and storage still has an object of its size. A
// removed photo must never be trained on again, even if an old archive copy survived; a
// training file rewritten at the same key must not be trained on under the old consent. The
// bytes themselves are re-hashed by the worker against `spec.dataset.sha256` before training.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasets, type LoraDataset, type LoraVersion } from '@/server/db/schema/index.ts';
import { getStorage } from '@/server/storage';

export interface DatasetSnapshot {
  key: string;
  sha256: string;
  bytes: number;
  /** Images or conversations in it, as the dataset reported when it was pinned. */
  count: number;
}

export type SnapshotFailureCode = 'dataset_changed' | 'dataset_unavailable';

/** The pinned snapshot cannot be trained on; `code` is the job's failure code. */
export class DatasetSnapshotError extends Error {
  override readonly name = 'DatasetSnapshotError';
  constructor(
    readonly code: SnapshotFailureCode,
    message: string,
    readonly details: { dataset_id: string; pinned_archive_sha256: string | null; current_archive_sha256: string | null },
  ) {
    super(message);
  }
}

/** The columns job create writes on the version: the dataset's archive as it was checked. */
export function snapshotColumns(ds: LoraDataset) {
  return {
    datasetArchiveKey: ds.archiveKey,
    datasetArchiveSha256: ds.archiveSha256,
    datasetArchiveBytes: ds.archiveBytes,
    datasetItemCount: (ds.modality === 'image' ? ds.imageCount : ds.exampleCount) ?? 1,
  };
}

function pinnedOf(version: LoraVersion, ds: LoraDataset): DatasetSnapshot | null {
  const v = version;
  if (v.datasetArchiveKey && v.datasetArchiveSha256 && v.datasetArchiveBytes != null) {
    return { key: v.datasetArchiveKey, sha256: v.datasetArchiveSha256, bytes: v.datasetArchiveBytes, count: v.datasetItemCount ?? 1 };
  }
  // Versions from before the pin: the dataset's archive stands in only while the dataset still
  // has the content hash the version recorded.
  if (ds.archiveKey && ds.archiveSha256 && ds.archiveBytes && (ds.datasetHash ?? ds.archiveSha256) === v.datasetHash) {
    const c = snapshotColumns(ds);
    return { key: ds.archiveKey, sha256: ds.archiveSha256, bytes: ds.archiveBytes, count: c.datasetItemCount };
  }
  return null;
}

const short = (sha: string | null | undefined) => (sha ? sha.slice(0, 12) : null);

/** The version's pinned snapshot and its dataset, or a DatasetSnapshotError saying why not. */
export async function loadPinnedSnapshot(db: DbOrTx, version: LoraVersion): Promise<{ snapshot: DatasetSnapshot; dataset: LoraDataset }> {
  const [dataset] = await db.select().from(loraDatasets).where(eq(loraDatasets.id, version.datasetId));
  const id = version.datasetId;
  const pinned = dataset ? pinnedOf(version, dataset) : null;
  const details = { dataset_id: id, pinned_archive_sha256: pinned?.sha256 ?? version.datasetArchiveSha256 ?? null, current_archive_sha256: dataset?.archiveSha256 ?? null };
  if (!dataset || dataset.deletedAt) {
    throw new DatasetSnapshotError('dataset_unavailable', `Dataset ${id} was deleted after this training run was consented to; there is nothing to train on.`, details);
  }
  if (!pinned || dataset.archiveKey !== pinned.key || dataset.archiveSha256 !== pinned.sha256) {
    const now = dataset.archiveSha256 ? `training file ${short(dataset.archiveSha256)}…` : 'no training file';
    const then = pinned ? `training file ${short(pinned.sha256)}…` : 'a training file that is no longer recorded';
    throw new DatasetSnapshotError(
      'dataset_changed',
      `Dataset ${id} changed since this training run was validated and consented to (it was ${then}, it now has ${now}). Start a new training run to train on the dataset as it is now.`,
      details,
    );
  }
  const head = await getStorage().driver.head(pinned.key);
  if (!head || head.bytes !== pinned.bytes) {
    throw new DatasetSnapshotError(
      'dataset_unavailable',
      `The training archive of dataset ${id} that this run was consented for is ${head ? `${head.bytes} bytes instead of ${pinned.bytes}` : 'missing from storage'}. Commit the dataset again and start a new training run.`,
      details,
    );
  }
  return { snapshot: pinned, dataset };
}

import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasetItems, loraDatasets, type LoraDataset, type LoraDatasetItem } from '@/server/db/schema/index.ts';
import { NotFoundError } from '@/server/errors';
import { getStorage } from '@/server/storage';
import { textPlanOf } from '@/server/text-datasets/plan';
import type { DatasetView } from './schemas.ts';

/** One announced upload: what init promised the client could send. */
export interface PlannedUpload {
  upload_id: string;
  key: string;
  filename: string;
  bytes: number;
  content_type: string;
  /** When its signed URL expires: until then its bytes are reserved against `storage_gb`. */
  expires_at?: string;
}
export type UploadPlan = { files: PlannedUpload[] };

export const planOf = (d: LoraDataset): UploadPlan => ({ files: ((d.uploadPlan as UploadPlan | undefined)?.files ?? []) as PlannedUpload[] });

export async function getDatasetOrThrow(db: DbOrTx, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<LoraDataset> {
  const q = db
    .select()
    .from(loraDatasets)
    .where(and(eq(loraDatasets.id, id), eq(loraDatasets.workspaceId, workspaceId), isNull(loraDatasets.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('Dataset', id);
  return row;
}

export async function itemsOf(db: DbOrTx, datasetId: string): Promise<LoraDatasetItem[]> {
  return db.select().from(loraDatasetItems).where(eq(loraDatasetItems.datasetId, datasetId)).orderBy(asc(loraDatasetItems.position));
}

const THUMB_TTL_SECONDS = 15 * 60;

export async function toDatasetView(d: LoraDataset, items?: LoraDatasetItem[]): Promise<DatasetView> {
  const { driver } = getStorage();
  const committed = new Set(items?.map((i) => i.storageKey) ?? []);
  const text = textPlanOf(d);
  // A text dataset's one file is pending until its commit moves it out of `uploading`.
  const pending = text ? (d.status === 'uploading' ? 1 : 0) : items ? planOf(d).files.filter((f) => !committed.has(f.key)).length : 0;
  const view: DatasetView = {
    id: d.id,
    name: d.name,
    model_id: d.loraModelId,
    modality: d.modality,
    status: d.status,
    verdict: d.verdict,
    dataset_hash: d.datasetHash,
    image_count: d.imageCount,
    example_count: d.exampleCount,
    total_bytes: d.totalBytes,
    quality_report: d.qualityReportJson ?? null,
    validation_progress: d.validationProgress,
    error: d.error ?? null,
    base_model: text?.base_model ?? null,
    pending_uploads: pending,
    created_at: d.createdAt.toISOString(),
    updated_at: d.updatedAt.toISOString(),
  };
  if (items) {
    view.items = await Promise.all(
      items.map(async (i) => ({
        id: i.id,
        filename: i.filename,
        content_type: i.contentType,
        bytes: i.bytes,
        sha256: i.sha256,
        width: i.width,
        height: i.height,
        status: i.status,
        position: i.position,
        thumbnail_url: i.thumbnailKey ? (await driver.presignGet({ key: i.thumbnailKey, expiresInSeconds: THUMB_TTL_SECONDS })).url : null,
      })),
    );
  }
  return view;
}

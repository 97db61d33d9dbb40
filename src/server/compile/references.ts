import { and, asc, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasetItems, loraDatasets, type LoraDatasetItem } from '@/server/db/schema/index.ts';
import { QualityReportSchema } from '@/server/datasets/images/report-schema';
import { candidateFromReportItem, selectReferenceImages } from '@/server/prompts';
import type { ReferenceImage } from './schemas.ts';

export interface ChosenReference extends ReferenceImage {
  /** EXIF-free copy to re-encode: the normalized JPEG, else the thumbnail. Server-side only. */
  sourceKey: string;
}

/**
 * The dataset photos a Character Pack carries: chosen from the stored quality report by
 * `selectReferenceImages` (quality, pose coverage, no duplicates, no outliers). Only items
 * that still exist and have an EXIF-free copy are used; never the original upload.
 */
export async function chooseReferenceImages(db: DbOrTx, datasetId: string, slots: number): Promise<{ images: ChosenReference[]; warnings: string[] }> {
  if (slots <= 0) return { images: [], warnings: [] };
  const [ds] = await db
    .select({ report: loraDatasets.qualityReportJson })
    .from(loraDatasets)
    .where(and(eq(loraDatasets.id, datasetId), isNull(loraDatasets.deletedAt)));
  if (!ds) return { images: [], warnings: ['The dataset this version was trained on has been deleted, so the pack has no reference images.'] };
  const items = await db.select().from(loraDatasetItems).where(eq(loraDatasetItems.datasetId, datasetId)).orderBy(asc(loraDatasetItems.position));
  const usable = new Map<string, LoraDatasetItem & { sourceKey: string }>();
  for (const i of items) {
    const sourceKey = i.normalizedKey ?? i.thumbnailKey;
    if (sourceKey && i.status !== 'rejected') usable.set(i.id, { ...i, sourceKey });
  }
  const report = QualityReportSchema.safeParse(ds.report);
  const warnings: string[] = [];
  let ids: string[];
  const poses = new Map<string, string | null>();
  if (report.success) {
    const candidates = report.data.items.filter((it) => usable.has(it.id)).map(candidateFromReportItem);
    for (const c of candidates) poses.set(c.id, c.pose);
    ids = selectReferenceImages(candidates, slots);
  } else {
    // Datasets from the API without a validation run: fall back to upload order.
    ids = [...usable.keys()].slice(0, slots);
    if (ids.length) warnings.push('The dataset has no quality report; reference images were taken in upload order. Validate it to pick the best ones.');
  }
  if (!ids.length) warnings.push('No usable photo in the dataset could serve as a reference image.');
  const images = ids.map((id) => {
    const i = usable.get(id)!;
    return { item_id: i.id, filename: i.filename, pose: poses.get(i.id) ?? null, sourceKey: i.sourceKey };
  });
  return { images, warnings };
}

// What validation measures is exactly what training gets: each item's clean copy, made at
// commit from the bytes commit verified (the archive holds the same copies). The raw upload
// is gone by then, and a late PUT to its URL can change nothing. What the report says about
// the original (its sha256, size, format, EXIF orientation) comes from what commit recorded.
import { RejectionSchema, type ImageFacts, type ImageFormat, type ItemFacts, type Rejection } from '@/server/datasets/images';
import { rejection } from '@/server/datasets/images/rejections';
import type { LoraDatasetItem } from '@/server/db/schema/index.ts';

/** The item's `facts` column: commit writes `source` or `commit_rejection`, validate adds the measures. */
export interface StoredItemFacts {
  source?: { format: ImageFormat; orientation: number };
  commit_rejection?: unknown;
  [k: string]: unknown;
}

export const storedFactsOf = (i: LoraDatasetItem): StoredItemFacts => (i.facts ?? {}) as StoredItemFacts;

/** Measured on the clean copy; identity (sha256, size) and source format/orientation are the original's. */
export function asCommitted(measured: ItemFacts, item: LoraDatasetItem): ItemFacts {
  const source = storedFactsOf(item).source;
  const facts: ImageFacts | null = measured.facts && {
    ...measured.facts,
    sha256: item.sha256,
    bytes: item.bytes,
    ...(source ? { format: source.format, orientation: source.orientation } : {}),
  };
  return { ...measured, sha256: item.sha256, bytes: item.bytes, facts };
}

/** An item commit could not make a copy of: it keeps the reason commit found, nothing is decoded again. */
export function rejectedAtCommit(item: LoraDatasetItem): ItemFacts {
  const stored = storedFactsOf(item);
  const parsed = RejectionSchema.safeParse(stored.commit_rejection ?? stored.rejection);
  const reason: Rejection = parsed.success ? parsed.data : rejection('decode_failed', item.filename);
  return { id: item.id, filename: item.filename, bytes: item.bytes, sha256: item.sha256, facts: null, rejection: reason, faces: null, faceQuality: null, faceError: null };
}

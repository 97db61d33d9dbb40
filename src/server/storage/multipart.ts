// Multipart sizing, shared by both drivers and by whoever plans an upload. S3's rules are
// the binding ones (the local driver enforces the same so code that works locally works
// on S3): 1…10,000 parts, every part but the last 5 MiB…5 GiB, one PUT at most 5 GiB.
import { ValidationError } from '@/server/errors';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export const MIN_PART_BYTES = 5 * MiB;
export const MAX_PART_BYTES = 5 * GiB;
export const MAX_PARTS = 10_000;
export const MAX_SINGLE_PUT_BYTES = 5 * GiB;
/** Files at or above this size are uploaded in parts (resumable, parallel, progress). */
export const MULTIPART_THRESHOLD = 64 * MiB;
/** Parts are at least this big, so a 10 GB file is ~1,300 requests, not 10,000. */
export const DEFAULT_PART_BYTES = 8 * MiB;
/** The largest single file the studio accepts (a text dataset JSONL). */
export const MAX_UPLOAD_BYTES = 10 * GiB;

/** Part size for an object of `totalBytes`: a whole number of MiB, ≤ 10,000 parts. */
export function partSizeFor(totalBytes: number): number {
  if (!Number.isSafeInteger(totalBytes) || totalBytes <= 0) {
    throw new ValidationError('An upload size must be a positive whole number of bytes.');
  }
  if (totalBytes > MAX_PARTS * MAX_PART_BYTES) throw new ValidationError('The upload is larger than object storage allows.');
  const needed = Math.ceil(totalBytes / MAX_PARTS / MiB) * MiB;
  return Math.max(DEFAULT_PART_BYTES, needed);
}

export interface PlannedPart {
  partNumber: number;
  /** Exact size of this part: sign it as the part's Content-Length. */
  bytes: number;
}

/** Every part of an upload of `totalBytes`, numbered from 1; only the last may be short. */
export function planParts(totalBytes: number): { partSize: number; parts: PlannedPart[] } {
  const partSize = partSizeFor(totalBytes);
  const parts: PlannedPart[] = [];
  for (let offset = 0, n = 1; offset < totalBytes; offset += partSize, n++) {
    parts.push({ partNumber: n, bytes: Math.min(partSize, totalBytes - offset) });
  }
  return { partSize, parts };
}

export function assertPartNumber(partNumber: number): void {
  if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > MAX_PARTS) {
    throw new ValidationError(`A part number must be between 1 and ${MAX_PARTS}.`);
  }
}

/** ETags compare without their quotes (S3 accepts both forms). */
export const bareEtag = (etag: string) => etag.replace(/"/g, '').trim();

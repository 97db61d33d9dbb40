// Argument checks both drivers apply identically, so the drivers cannot drift apart.
import { ValidationError } from '@/server/errors';
import { MAX_PART_BYTES, MAX_SINGLE_PUT_BYTES } from './multipart.ts';

/** S3 refuses presigned URLs valid for more than 7 days; ours are meant to be short anyway. */
export const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GET_BYTES_CAP = 32 * 1024 * 1024;

export function assertExpiry(expiresInSeconds: number): void {
  if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > MAX_PRESIGN_SECONDS) {
    throw new ValidationError(`A signed URL must expire in 1…${MAX_PRESIGN_SECONDS} seconds.`);
  }
}

export function assertByteLimit(maxBytes: number, ceiling: number = MAX_SINGLE_PUT_BYTES): void {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0 || maxBytes > ceiling) {
    throw new ValidationError(`A byte limit must be a whole number between 0 and ${ceiling}.`);
  }
}

export const assertPartByteLimit = (maxBytes: number) => assertByteLimit(maxBytes, MAX_PART_BYTES);

/** Content types are signed; keep them to a plain `type/subtype[; params]` token. */
export function assertContentType(contentType: string): void {
  if (typeof contentType !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;\s*[\w.+-]+=[\w.+"-]+)*$/.test(contentType) || contentType.length > 200) {
    throw new ValidationError('Invalid content type.');
  }
}

/** `Content-Disposition: attachment` with an ASCII fallback and the UTF-8 name (RFC 6266). */
export function attachmentDisposition(name: string): string {
  const clean = name.replace(/[\u0000-\u001f\u007f"\\]/g, '').slice(0, 200) || 'download';
  const ascii = clean.replace(/[^\x20-\x7e]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(clean).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

import type { Metadata } from 'sharp';
import { TimeoutError, withTimeout } from './async.ts';
import { readHeader, type DecodeLimits } from './decode.ts';
import { describeDecodeError, isPixelLimitError, isSharpTimeout, rejection } from './rejections.ts';
import type { ImageFormat, Rejection } from './schemas.ts';
import { SHARP_FORMAT_FOR, sniffFormat } from './sniff.ts';

// Everything decided before any pixel is decoded: empty file, magic bytes, HEIC, header
// consistency, animation and the pixel limit. Shared by inspectImage and normalizeImage.

export type Preflight = { ok: true; format: ImageFormat; meta: Metadata } | { ok: false; rejection: Rejection };

function headerRejection(meta: Metadata, format: ImageFormat, filename: string, maxPixels: number): Rejection | null {
  if (meta.format !== SHARP_FORMAT_FOR[format]) return rejection('format_mismatch', filename, `${format} signature, ${meta.format} data`);
  // AVIF containers report a primary image plus auxiliary ones; only real frames count.
  if ((meta.pages ?? 1) > 1 && format !== 'avif') return rejection('animated', filename, `${meta.pages} frames`);
  if (format === 'avif' && meta.compression && meta.compression !== 'av1') return rejection('heic_not_supported', filename);
  if (meta.width * meta.height > maxPixels) return rejection('too_many_pixels', filename, `${meta.width} × ${meta.height} pixels`);
  return null;
}

/** Maps a sharp/libvips failure (or our own timeout) to a rejection naming the file. */
export function rejectionFromError(err: unknown, filename: string, limits: DecodeLimits): Rejection {
  if (isPixelLimitError(err)) return rejection('too_many_pixels', filename, 'more pixels than the limit');
  if (err instanceof TimeoutError || isSharpTimeout(err)) return rejection('decode_timeout', filename, `over ${limits.timeoutMs} ms`);
  return rejection('decode_failed', filename, describeDecodeError(err));
}

export async function preflight(bytes: Uint8Array, filename: string, limits: DecodeLimits): Promise<Preflight> {
  if (bytes.byteLength === 0) return { ok: false, rejection: rejection('empty_file', filename) };
  const sniffed = sniffFormat(bytes);
  if (sniffed === 'heic') return { ok: false, rejection: rejection('heic_not_supported', filename) };
  if (sniffed === 'unknown') return { ok: false, rejection: rejection('unsupported_format', filename, 'unrecognised file signature') };
  try {
    const meta = await withTimeout(readHeader(bytes), limits.timeoutMs);
    const bad = headerRejection(meta, sniffed, filename, limits.maxPixels);
    return bad ? { ok: false, rejection: bad } : { ok: true, format: sniffed, meta };
  } catch (err) {
    return { ok: false, rejection: rejectionFromError(err, filename, limits) };
  }
}

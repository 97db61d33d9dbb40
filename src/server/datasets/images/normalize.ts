import { ValidationError } from '../../errors.ts';
import { withTimeout } from './async.ts';
import { DEFAULT_THRESHOLDS } from './config.ts';
import { openImage, type DecodeLimits } from './decode.ts';
import { preflight, rejectionFromError } from './preflight.ts';
import type { ImageFormat } from './schemas.ts';

// The stored, shareable copy of an upload: oriented, 8-bit sRGB, alpha on white, at most
// `maxSide` px, re-encoded as JPEG. sharp writes no metadata unless asked to, so EXIF
// (GPS, camera serials), XMP, IPTC and private ICC data are all dropped; pixels are
// converted to sRGB first so dropping the profile does not shift colours.

export interface NormalizeOptions {
  filename?: string;
  maxSide?: number;
  thumbnailSide?: number;
  quality?: number;
  maxPixels?: number;
  timeoutMs?: number;
}

export interface NormalizedImage {
  image: Buffer;
  contentType: 'image/jpeg';
  width: number;
  height: number;
  thumbnail: Buffer;
  thumbnailContentType: 'image/webp';
  thumbnailWidth: number;
  thumbnailHeight: number;
  /** What the original was (the copy is always an upright JPEG): kept so reports can still say it. */
  source: { format: ImageFormat; orientation: number };
}

/** Throws ValidationError (details: the rejection) when the bytes are not a usable image. */
export async function normalizeImage(bytes: Uint8Array, opts: NormalizeOptions = {}): Promise<NormalizedImage> {
  const filename = opts.filename ?? 'image';
  const limits: DecodeLimits = { maxPixels: opts.maxPixels ?? DEFAULT_THRESHOLDS.maxPixels, timeoutMs: opts.timeoutMs ?? DEFAULT_THRESHOLDS.decodeTimeoutMs };
  const pre = await preflight(bytes, filename, limits);
  if (!pre.ok) throw new ValidationError(pre.rejection.message, pre.rejection);

  const maxSide = opts.maxSide ?? 2048;
  const thumbSide = opts.thumbnailSide ?? 256;
  const base = openImage(bytes, limits).flatten({ background: '#ffffff' }).toColourspace('srgb');
  try {
    const [main, thumb] = await withTimeout(
      Promise.all([
        base
          .clone()
          .resize({ width: maxSide, height: maxSide, fit: 'inside', withoutEnlargement: true })
          .jpeg({ quality: opts.quality ?? 92, chromaSubsampling: '4:4:4' })
          .toBuffer({ resolveWithObject: true }),
        base
          .clone()
          .resize({ width: thumbSide, height: thumbSide, fit: 'inside', withoutEnlargement: true })
          .webp({ quality: 80 })
          .toBuffer({ resolveWithObject: true }),
      ]),
      limits.timeoutMs,
    );
    return {
      image: main.data,
      contentType: 'image/jpeg',
      width: main.info.width,
      height: main.info.height,
      thumbnail: thumb.data,
      thumbnailContentType: 'image/webp',
      thumbnailWidth: thumb.info.width,
      thumbnailHeight: thumb.info.height,
      source: { format: pre.format, orientation: pre.meta.orientation ?? 1 },
    };
  } catch (err) {
    const r = rejectionFromError(err, filename, limits);
    throw new ValidationError(r.message, r);
  }
}

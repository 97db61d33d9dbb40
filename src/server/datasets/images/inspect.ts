import { webcrypto } from 'node:crypto';
import { withTimeout } from './async.ts';
import { DEFAULT_THRESHOLDS } from './config.ts';
import { decodeRgb, toGrey, type DecodeLimits } from './decode.ts';
import { laplacianVariance, measureExposure } from './measure.ts';
import { PHASH_INPUT_SIZE, phashPairFromGrey32 } from './phash.ts';
import { preflight, rejectionFromError } from './preflight.ts';
import type { ImageFacts, Rejection, RgbImage } from './schemas.ts';

// Every measure is taken at one fixed scale, the analysis image (longer side 1024 px, small
// photos enlarged): that is roughly what a Flux/SDXL trainer sees, so a 12 MP and a 1 MP
// photo of the same scene score alike, and blur is judged where it matters.

export interface InspectOptions {
  filename: string;
  maxPixels?: number;
  timeoutMs?: number;
  /** Longer side of the analysis image all measures use (default 1024). */
  analysisSide?: number;
  /** Return the decoded RGB pixels (for the face analyzer) along with the facts. */
  keepPixels?: boolean;
}

export type InspectResult =
  | { ok: true; facts: ImageFacts; pixels?: RgbImage }
  | { ok: false; rejection: Rejection; sha256: string; bytes: number };

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // WebCrypto hashes in a libuv thread, so a 10 MB photo does not stall the event loop.
  const digest = await webcrypto.subtle.digest('SHA-256', bytes);
  return Buffer.from(digest).toString('hex');
}

/**
 * Sniffs, decodes (oriented, sRGB, 8-bit, alpha flattened) and measures one image. Never
 * throws for bad input: unusable files come back as `{ ok: false, rejection }`.
 */
export async function inspectImage(bytes: Uint8Array, opts: InspectOptions): Promise<InspectResult> {
  const limits: DecodeLimits = {
    maxPixels: opts.maxPixels ?? DEFAULT_THRESHOLDS.maxPixels,
    timeoutMs: opts.timeoutMs ?? DEFAULT_THRESHOLDS.decodeTimeoutMs,
  };
  const [sha256, pre] = await Promise.all([sha256Hex(bytes), preflight(bytes, opts.filename, limits)]);
  if (!pre.ok) return { ok: false, rejection: pre.rejection, sha256, bytes: bytes.byteLength };
  const { meta, format } = pre;
  try {
    const side = opts.analysisSide ?? DEFAULT_THRESHOLDS.analysisSide;
    const rgb = await withTimeout(decodeRgb(bytes, limits, side), limits.timeoutMs);
    const [grey, tiny] = await Promise.all([toGrey(rgb, side, 'inside'), toGrey(rgb, PHASH_INPUT_SIZE, 'fill')]);
    const facts: ImageFacts = {
      format,
      width: meta.autoOrient?.width ?? meta.width,
      height: meta.autoOrient?.height ?? meta.height,
      orientation: meta.orientation ?? 1,
      sourceColourSpace: meta.space,
      sourceBitDepth: meta.depth === 'ushort' || meta.bitsPerSample === 16 ? 16 : 8,
      hadAlpha: meta.hasAlpha,
      bytes: bytes.byteLength,
      sha256,
      ...phashPairFromGrey32(tiny.data),
      sharpness: laplacianVariance(grey.data, grey.width, grey.height),
      exposure: measureExposure(grey.data),
    };
    return opts.keepPixels ? { ok: true, facts, pixels: rgb } : { ok: true, facts };
  } catch (err) {
    return { ok: false, rejection: rejectionFromError(err, opts.filename, limits), sha256, bytes: bytes.byteLength };
  }
}

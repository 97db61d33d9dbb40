import sharp, { type Metadata, type Sharp } from 'sharp';
import type { RgbImage } from './schemas.ts';

// The only module that calls sharp for analysis. Every call carries the pixel limit,
// `failOn: 'warning'` (sharp's advice for untrusted input: truncated or corrupt data is an
// error, not a grey half-image) and a libvips timeout. Decoding happens in libuv threads.

export interface DecodeLimits {
  maxPixels: number;
  timeoutMs: number;
}

export function openImage(bytes: Uint8Array, limits: DecodeLimits, autoOrient = true): Sharp {
  return sharp(bytes, {
    limitInputPixels: limits.maxPixels,
    failOn: 'warning',
    autoOrient,
    sequentialRead: true,
  }).timeout({ seconds: Math.max(1, Math.ceil(limits.timeoutMs / 1000)) });
}

/**
 * Header only: no pixel buffer is allocated. The pixel limit is checked by the caller on
 * the dimensions read here (so the message can state them); decodes keep sharp's limit.
 */
export function readHeader(bytes: Uint8Array): Promise<Metadata> {
  return sharp(bytes, { limitInputPixels: false, failOn: 'warning' }).metadata();
}

/**
 * Oriented, alpha flattened onto white, 8-bit sRGB (CMYK and 16-bit converted), scaled so
 * its longer side is exactly `side` (small images are enlarged, as a trainer's bucketing
 * would): the one decode every measure starts from.
 */
export async function decodeRgb(bytes: Uint8Array, limits: DecodeLimits, side: number): Promise<RgbImage> {
  const { data, info } = await openImage(bytes, limits)
    .flatten({ background: '#ffffff' })
    .toColourspace('srgb')
    .resize({ width: side, height: side, fit: 'inside' })
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

export interface GreyImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** Greyscale copy of an RGB buffer, resized to fit `side` (`fill` ignores aspect ratio). */
export async function toGrey(rgb: RgbImage, side: number, fit: 'inside' | 'fill'): Promise<GreyImage> {
  const { data, info } = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
    .greyscale()
    .resize({ width: side, height: side, fit })
    .extractChannel(0)
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

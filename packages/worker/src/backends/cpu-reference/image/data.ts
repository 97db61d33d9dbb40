// Training images → small RGB tensors. Each photo is decoded with sharp (EXIF orientation
// applied), centre-cropped and resized to a square working size — the tiny stand-in for a
// VAE latent — and kept in memory as HWC floats in [-1, 1]. Patches are sampled from those.
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import sharp from 'sharp';
import { BackendFailed } from '../../types.ts';
import { datasetHashOf, listFiles, sha256Hex } from '../files.ts';
import { throwIfCanceled } from '../loop.ts';
import type { Prng } from '../prng.ts';
import { TINY_IMAGE } from '../tiny-base/spec.ts';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.png', '.webp']);
export const MAX_IMAGES = 1000;
const P = TINY_IMAGE.patch;

export interface ImageSet {
  /** Working size (pixels per side). */
  size: number;
  images: Float32Array[];
  files: string[];
  captions: (string | null)[];
  datasetHash: string;
}

/** `resolution` (training pixels) → working size: 1/8 like a latent, a multiple of 16 in [32, 128]. */
export function workingSize(resolution: number | undefined): number {
  const target = Math.round((resolution ?? 512) / 8);
  return Math.min(128, Math.max(32, Math.floor(target / P) * P));
}

export async function loadImageSet(dir: string, size: number, signal: AbortSignal, note: (line: string) => void): Promise<ImageSet> {
  const all = await listFiles(dir);
  const paths = all.filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()));
  if (paths.length > MAX_IMAGES) note(`${paths.length} images; cpu-reference uses the first ${MAX_IMAGES}`);
  const set: ImageSet = { size, images: [], files: [], captions: [], datasetHash: '' };
  const hashes: string[] = [];
  for (const rel of paths.slice(0, MAX_IMAGES)) {
    throwIfCanceled(signal);
    const bytes = await readFile(join(dir, rel));
    try {
      const { data } = await sharp(bytes, { limitInputPixels: 100_000_000 })
        .rotate()
        .resize(size, size, { fit: 'cover' })
        .removeAlpha()
        .toColourspace('srgb')
        .raw()
        .toBuffer({ resolveWithObject: true });
      set.images.push(Float32Array.from(data, (v) => v / 127.5 - 1));
    } catch (err) {
      note(`skipping ${rel}: not a decodable image (${(err as Error).message})`);
      continue;
    }
    hashes.push(sha256Hex(bytes));
    set.files.push(rel);
    set.captions.push(await captionFor(dir, rel, all));
  }
  if (set.images.length === 0) throw new BackendFailed('dataset_invalid', `no decodable JPEG/PNG/WebP images in the dataset (${all.length} files)`);
  set.datasetHash = datasetHashOf(hashes);
  return set;
}

async function captionFor(dir: string, rel: string, all: string[]): Promise<string | null> {
  const stem = rel.slice(0, rel.length - extname(rel).length);
  const file = [`${stem}.txt`, `${stem}.caption`].find((c) => all.includes(c));
  if (!file) return null;
  const text = (await readFile(join(dir, file), 'utf8')).trim();
  return text || null;
}

/** Caption tags in kohya's ss_tag_frequency shape: { "<n>_<name>": { tag: count } }. */
export function tagFrequency(set: ImageSet, trigger: string | null, folder: string): Record<string, Record<string, number>> {
  const counts: Record<string, number> = {};
  set.captions.forEach((caption) => {
    const tags = caption ? caption.split(',').map((t) => t.trim()).filter(Boolean) : [];
    if (trigger && !tags.includes(trigger)) tags.unshift(trigger);
    for (const t of new Set(tags)) counts[t] = (counts[t] ?? 0) + 1;
  });
  return { [`1_${folder}`]: counts };
}

/** Fills `out` (count × 768) with random patches (random image, position, horizontal flip). */
export function samplePatches(set: ImageSet, count: number, rng: Prng, out = new Float32Array(count * P * P * 3)): Float32Array {
  const { size } = set;
  for (let s = 0; s < count; s++) {
    const img = set.images[rng.int(set.images.length)]!;
    const y0 = rng.int(size - P + 1);
    const x0 = rng.int(size - P + 1);
    const flip = rng.uniform() < 0.5;
    let o = s * P * P * 3;
    for (let y = 0; y < P; y++) {
      for (let x = 0; x < P; x++) {
        const sx = flip ? x0 + P - 1 - x : x0 + x;
        const i = ((y0 + y) * size + sx) * 3;
        out[o++] = img[i]!;
        out[o++] = img[i + 1]!;
        out[o++] = img[i + 2]!;
      }
    }
  }
  return out;
}

/** The non-overlapping patches tiling one image, row by row: (size/16)² × 768. */
export function tilePatches(img: Float32Array, size: number): Float32Array {
  const per = size / P;
  const out = new Float32Array(per * per * P * P * 3);
  let o = 0;
  for (let ty = 0; ty < per; ty++) {
    for (let tx = 0; tx < per; tx++) {
      for (let y = 0; y < P; y++) {
        const start = ((ty * P + y) * size + tx * P) * 3;
        out.set(img.subarray(start, start + P * 3), o);
        o += P * 3;
      }
    }
  }
  return out;
}

/** Inverse of tilePatches. */
export function untilePatches(patches: Float32Array, size: number): Float32Array {
  const per = size / P;
  const img = new Float32Array(size * size * 3);
  let o = 0;
  for (let ty = 0; ty < per; ty++) {
    for (let tx = 0; tx < per; tx++) {
      for (let y = 0; y < P; y++) {
        const start = ((ty * P + y) * size + tx * P) * 3;
        img.set(patches.subarray(o, o + P * 3), start);
        o += P * 3;
      }
    }
  }
  return img;
}

/** Adds Gaussian noise of standard deviation `sigma`. */
export function addNoise(clean: Float32Array, sigma: number, rng: Prng): Float32Array {
  const out = new Float32Array(clean.length);
  for (let i = 0; i < clean.length; i++) out[i] = clean[i]! + sigma * rng.normal();
  return out;
}

export const folderName = (trigger: string | null, dir: string) => trigger ?? basename(dir);

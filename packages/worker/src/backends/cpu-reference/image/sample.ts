// Sample images for the monitor: for up to four training photos, the clean working-size
// image, the noisy input and the network's denoised output, side by side, upscaled for view.
import sharp from 'sharp';
import { Prng } from '../prng.ts';
import { addNoise, tilePatches, untilePatches, type ImageSet } from './data.ts';
import type { ImageNet } from './model.ts';

const ROWS = 4;
const CELL = 128;

export async function writeReconstructionGrid(net: ImageNet, set: ImageSet, sigma: number, seed: number, path: string): Promise<void> {
  const { size } = set;
  const rows = Math.min(ROWS, set.images.length);
  const scale = Math.max(1, Math.floor(CELL / size));
  const cell = size * scale;
  const grid = new Uint8Array(rows * cell * 3 * cell * 3);
  const rng = new Prng(seed);
  for (let r = 0; r < rows; r++) {
    const clean = set.images[r]!;
    const noisyPatches = addNoise(tilePatches(clean, size), sigma, rng);
    const n = noisyPatches.length / 768;
    const out = untilePatches(net.forward(noisyPatches, n), size);
    [clean, untilePatches(noisyPatches, size), out].forEach((img, c) => blit(grid, cell * 3, img, size, scale, r * cell, c * cell));
  }
  await sharp(grid, { raw: { width: cell * 3, height: rows * cell, channels: 3 } })
    .png()
    .toFile(path);
}

/** Nearest-neighbour upscale of a [-1, 1] HWC image into the RGB grid at (top, left). */
function blit(grid: Uint8Array, gridWidth: number, img: Float32Array, size: number, scale: number, top: number, left: number): void {
  for (let y = 0; y < size * scale; y++) {
    for (let x = 0; x < size * scale; x++) {
      const src = (Math.floor(y / scale) * size + Math.floor(x / scale)) * 3;
      const dst = ((top + y) * gridWidth + left + x) * 3;
      for (let c = 0; c < 3; c++) grid[dst + c] = Math.max(0, Math.min(255, Math.round((img[src + c]! + 1) * 127.5)));
    }
  }
}

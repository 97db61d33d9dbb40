import type { Exposure } from './schemas.ts';

// Pixel statistics on small greyscale buffers (≤ 512×512, a few ms of JS each). The
// caller produces the buffer with sharp, so measures are comparable between photos of
// any resolution: the same content at 12 MP or 1 MP gives about the same numbers.

/** Variance of the 4-neighbour Laplacian over the interior pixels of a greyscale image. */
export function laplacianVariance(grey: Uint8Array, width: number, height: number): number {
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    const row = y * width;
    for (let x = 1; x < width - 1; x++) {
      const i = row + x;
      const lap = grey[i - 1]! + grey[i + 1]! + grey[i - width]! + grey[i + width]! - 4 * grey[i]!;
      sum += lap;
      sumSq += lap * lap;
      n++;
    }
  }
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

// Pixels at or below / at or above these levels count as clipped: JPEG noise keeps true
// blacks and whites a few levels off 0 and 255.
const SHADOW_LEVEL = 5;
const HIGHLIGHT_LEVEL = 250;

export function measureExposure(grey: Uint8Array): Exposure {
  let sum = 0;
  let shadows = 0;
  let highlights = 0;
  for (let i = 0; i < grey.length; i++) {
    const v = grey[i]!;
    sum += v;
    if (v <= SHADOW_LEVEL) shadows++;
    else if (v >= HIGHLIGHT_LEVEL) highlights++;
  }
  const n = Math.max(1, grey.length);
  return { mean: sum / n / 255, shadowsClipped: shadows / n, highlightsClipped: highlights / n };
}

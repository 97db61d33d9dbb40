import { describe, expect, it } from 'vitest';
import { laplacianVariance, measureExposure } from './measure.ts';

describe('laplacianVariance', () => {
  it('is zero on a flat image and large on fine detail', () => {
    const flat = new Uint8Array(64 * 64).fill(120);
    const checker = Uint8Array.from({ length: 64 * 64 }, (_, i) => (((i % 64) + Math.floor(i / 64)) % 2 ? 200 : 50));
    const ramp = Uint8Array.from({ length: 64 * 64 }, (_, i) => (i % 64) * 4);
    expect(laplacianVariance(flat, 64, 64)).toBe(0);
    expect(laplacianVariance(ramp, 64, 64)).toBe(0); // a linear gradient has no second derivative
    expect(laplacianVariance(checker, 64, 64)).toBeGreaterThan(100_000);
  });

  it('handles images too small for the kernel', () => {
    expect(laplacianVariance(new Uint8Array(4), 2, 2)).toBe(0);
  });
});

describe('measureExposure', () => {
  it('reports mean luminance and clipped fractions', () => {
    const half = Uint8Array.from({ length: 100 }, (_, i) => (i < 50 ? 0 : 255));
    expect(measureExposure(half)).toEqual({ mean: 0.5, shadowsClipped: 0.5, highlightsClipped: 0.5 });
    const mid = new Uint8Array(100).fill(128);
    expect(measureExposure(mid).shadowsClipped).toBe(0);
    expect(measureExposure(mid).highlightsClipped).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { hammingDistance, phashFromGrey32, phashPairFromGrey32, PHASH_INPUT_SIZE } from './phash.ts';

const N = PHASH_INPUT_SIZE;
function image(f: (x: number, y: number) => number): Uint8Array {
  const out = new Uint8Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) out[y * N + x] = Math.max(0, Math.min(255, Math.round(f(x, y))));
  return out;
}
const mirror = (img: Uint8Array) => image((x, y) => img[y * N + (N - 1 - x)]!);
const scene = (x: number, y: number) => 128 + 60 * Math.sin(x / 5) + 40 * Math.cos(y / 7) + (x > 20 && y < 10 ? 50 : 0);

describe('pHash', () => {
  it('is 16 hex digits and stable under brightness shifts and small noise', () => {
    const a = phashFromGrey32(image(scene));
    const brighter = phashFromGrey32(image((x, y) => scene(x, y) + 20));
    const noisy = phashFromGrey32(image((x, y) => scene(x, y) + ((x * 7 + y * 13) % 5) - 2));
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(hammingDistance(a, brighter)).toBeLessThanOrEqual(2);
    expect(hammingDistance(a, noisy)).toBeLessThanOrEqual(4);
  });

  it('separates different pictures', () => {
    const a = phashFromGrey32(image(scene));
    const b = phashFromGrey32(image((x, y) => 128 + 80 * Math.cos((x + y) / 4) * Math.sin(x / 9)));
    expect(hammingDistance(a, b)).toBeGreaterThan(16);
  });

  it('derives the hash of the mirror image from the same DCT', () => {
    const img = image(scene);
    const { phash, phashMirrored } = phashPairFromGrey32(img);
    const flipped = phashPairFromGrey32(mirror(img));
    expect(flipped.phash).toBe(phashMirrored);
    expect(flipped.phashMirrored).toBe(phash);
    expect(hammingDistance(phash, flipped.phash)).toBeGreaterThan(10);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('8000000000000001', '0000000000000000')).toBe(2);
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow();
  });
});

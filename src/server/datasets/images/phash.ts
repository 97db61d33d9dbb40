// 64-bit DCT perceptual hash (the classic pHash construction): a 32×32 greyscale image,
// its 2-D DCT-II, the 8×8 lowest frequencies, and one bit per coefficient: above or below
// the median of those coefficients (the DC term is left out of the median because it only
// carries overall brightness). Resizes and re-encodes keep the hash within a few bits; a
// horizontal flip negates every odd horizontal frequency, so a mirrored copy is far (30
// bits for a real pair). The hash of the mirror image is therefore derived from the same
// DCT (odd columns negated) so that mirrored copies can still be recognised.

export const PHASH_INPUT_SIZE = 32;
const LOW = 8;

// cos((2x+1)uπ / 2N) for u < 8, x < 32, computed once.
const COS: Float64Array = (() => {
  const t = new Float64Array(LOW * PHASH_INPUT_SIZE);
  for (let u = 0; u < LOW; u++) {
    for (let x = 0; x < PHASH_INPUT_SIZE; x++) {
      t[u * PHASH_INPUT_SIZE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * PHASH_INPUT_SIZE));
    }
  }
  return t;
})();

/** Low-frequency 8×8 DCT block of a 32×32 greyscale image, row-major [v][u]. */
export function lowFrequencyDct(grey: Uint8Array): Float64Array {
  const N = PHASH_INPUT_SIZE;
  if (grey.length !== N * N) throw new Error(`pHash expects ${N}×${N} greyscale input, got ${grey.length} bytes`);
  // Rows first (only the 8 lowest u), then columns (only the 8 lowest v): 2 × 8 × 32 × 32 multiplies.
  const rows = new Float64Array(N * LOW);
  for (let y = 0; y < N; y++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let x = 0; x < N; x++) s += grey[y * N + x]! * COS[u * N + x]!;
      rows[y * LOW + u] = s;
    }
  }
  const out = new Float64Array(LOW * LOW);
  for (let v = 0; v < LOW; v++) {
    for (let u = 0; u < LOW; u++) {
      let s = 0;
      for (let y = 0; y < N; y++) s += rows[y * LOW + u]! * COS[v * N + y]!;
      out[v * LOW + u] = s;
    }
  }
  return out;
}

function hashOf(dct: Float64Array): string {
  const ac = Array.from(dct.subarray(1)).sort((a, b) => a - b);
  const median = ac[31]!; // 63 AC coefficients: the 32nd is the median
  let hex = '';
  for (let nibble = 0; nibble < 16; nibble++) {
    let v = 0;
    for (let b = 0; b < 4; b++) v = (v << 1) | (dct[nibble * 4 + b]! > median ? 1 : 0);
    hex += v.toString(16);
  }
  return hex;
}

export function phashFromGrey32(grey: Uint8Array): string {
  return hashOf(lowFrequencyDct(grey));
}

/** Hash of the image and of its horizontal mirror, from one DCT. */
export function phashPairFromGrey32(grey: Uint8Array): { phash: string; phashMirrored: string } {
  const dct = lowFrequencyDct(grey);
  const mirrored = dct.map((v, i) => ((i % LOW) % 2 === 1 ? -v : v));
  return { phash: hashOf(dct), phashMirrored: hashOf(mirrored) };
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Number of differing bits between two 16-hex-digit hashes. */
export function hammingDistance(a: string, b: string): number {
  if (a.length !== 16 || b.length !== 16) throw new Error('pHash values must be 16 hex digits');
  const hi = parseInt(a.slice(0, 8), 16) ^ parseInt(b.slice(0, 8), 16);
  const lo = parseInt(a.slice(8), 16) ^ parseInt(b.slice(8), 16);
  return popcount32(hi >>> 0) + popcount32(lo >>> 0);
}

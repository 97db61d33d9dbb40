import { describe, expect, it } from 'vitest';
import { cosineSimilarity, identityScores } from './identity.ts';

function unit(v: number[]): number[] {
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
function rng(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
}
const DIM = 64;
function around(base: number[], spread: number, seed: number): number[] {
  const r = rng(seed);
  return unit(base.map((x) => x + spread * r()));
}

describe('identityScores', () => {
  const r = rng(1);
  const personA = unit(Array.from({ length: DIM }, r));
  const personB = unit(Array.from({ length: DIM }, r));

  it('scores members of one person high and a stranger low', () => {
    const set = [...Array.from({ length: 12 }, (_, i) => around(personA, 0.1, 10 + i)), around(personB, 0.1, 99)];
    const scores = identityScores(set)!;
    const members = scores.similarities.slice(0, 12);
    expect(Math.min(...members)).toBeGreaterThan(0.8);
    expect(scores.similarities[12]).toBeLessThan(0.4);
  });

  it('keeps the reference on the majority when a large minority is someone else', () => {
    // 7 of A and 5 of B: a plain mean would sit between them; the medoid does not.
    const set = [...Array.from({ length: 7 }, (_, i) => around(personA, 0.15, 20 + i)), ...Array.from({ length: 5 }, (_, i) => around(personB, 0.15, 40 + i))];
    const { similarities, medoidIndex } = identityScores(set)!;
    expect(medoidIndex).toBeLessThan(7);
    expect(Math.min(...similarities.slice(0, 7))).toBeGreaterThan(Math.max(...similarities.slice(7)) + 0.3);
  });

  it('needs at least three faces', () => {
    expect(identityScores([personA, personB])).toBeNull();
  });

  it('cosine similarity is scale-free and zero for empty vectors', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1);
    expect(cosineSimilarity([1, 0], [0, 1])).toBe(0);
    expect(cosineSimilarity([], [])).toBe(0);
  });
});

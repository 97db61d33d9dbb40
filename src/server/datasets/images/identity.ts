// Identity consistency over face embeddings (unit vectors from the face analyzer).
//
// The reference is robust to a minority of other people: start from the medoid (the face
// with the highest MEDIAN similarity to the others, so a few strangers cannot move it),
// keep the 60 % of faces closest to it, and average those into the centroid. Each face is
// then scored by its cosine similarity to that centroid.

export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

function median(values: number[]): number {
  const s = [...values].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export const CORE_FRACTION = 0.6;
/** Below this many faces there is no majority to compare against. */
export const MIN_FACES_FOR_IDENTITY = 3;

export interface IdentityScores {
  medoidIndex: number;
  /** Cosine similarity of each embedding to the robust centroid, in input order. */
  similarities: number[];
}

export function identityScores(embeddings: readonly (readonly number[])[]): IdentityScores | null {
  const n = embeddings.length;
  if (n < MIN_FACES_FOR_IDENTITY) return null;
  const sim: number[][] = embeddings.map((a, i) => embeddings.map((b, j) => (i === j ? 1 : cosineSimilarity(a, b))));

  let medoidIndex = 0;
  let best = -Infinity;
  for (let i = 0; i < n; i++) {
    const m = median(sim[i]!.filter((_, j) => j !== i));
    if (m > best) {
      best = m;
      medoidIndex = i;
    }
  }

  const byCloseness = [...Array(n).keys()].sort((i, j) => sim[medoidIndex]![j]! - sim[medoidIndex]![i]!);
  const core = byCloseness.slice(0, Math.max(2, Math.ceil(n * CORE_FRACTION)));
  const dim = embeddings[0]!.length;
  const centroid = new Array<number>(dim).fill(0);
  for (const i of core) for (let d = 0; d < dim; d++) centroid[d]! += embeddings[i]![d]!;

  return { medoidIndex, similarities: embeddings.map((e) => cosineSimilarity(e, centroid)) };
}

import { hammingDistance } from './phash.ts';

// Exact duplicates by sha256 and near duplicates by pHash distance. Near-duplicate
// clusters are the connected components of "distance ≤ threshold" (union-find), so a
// chain of resizes of one frame lands in one cluster even if its ends differ more. The
// distance also compares each hash with the other's mirror hash: a flipped copy adds
// nothing a trainer's own flip augmentation would not, and flips a face's asymmetries.

export function exactDuplicateGroups<T extends { id: string; sha256: string }>(items: readonly T[]): T[][] {
  const bySha = new Map<string, T[]>();
  for (const item of items) bySha.set(item.sha256, [...(bySha.get(item.sha256) ?? []), item]);
  return [...bySha.values()].filter((g) => g.length > 1);
}

class UnionFind {
  private readonly parent: number[];
  constructor(n: number) {
    this.parent = [...Array(n).keys()];
  }
  find(i: number): number {
    while (this.parent[i] !== i) {
      this.parent[i] = this.parent[this.parent[i]!]!;
      i = this.parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

export interface Hashed {
  phash: string;
  phashMirrored: string;
}

/** Smallest distance between two images, allowing one of them to be mirrored. */
export function nearDistance(a: Hashed, b: Hashed): { distance: number; mirrored: boolean } {
  const direct = hammingDistance(a.phash, b.phash);
  const mirrored = Math.min(hammingDistance(a.phashMirrored, b.phash), hammingDistance(a.phash, b.phashMirrored));
  return mirrored < direct ? { distance: mirrored, mirrored: true } : { distance: direct, mirrored: false };
}

export interface NearDuplicateCluster<T> {
  members: T[];
  /** Largest pairwise distance inside the cluster. */
  maxDistance: number;
}

export function nearDuplicateClusters<T extends Hashed>(items: readonly T[], threshold: number): NearDuplicateCluster<T>[] {
  const uf = new UnionFind(items.length);
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (nearDistance(items[i]!, items[j]!).distance <= threshold) uf.union(i, j);
    }
  }
  const groups = new Map<number, number[]>();
  items.forEach((_, i) => groups.set(uf.find(i), [...(groups.get(uf.find(i)) ?? []), i]));
  return [...groups.values()]
    .filter((g) => g.length > 1)
    .map((g) => {
      let maxDistance = 0;
      for (const a of g) for (const b of g) maxDistance = Math.max(maxDistance, nearDistance(items[a]!, items[b]!).distance);
      return { members: g.map((i) => items[i]!), maxDistance };
    });
}

import { describe, expect, it } from 'vitest';
import { exactDuplicateGroups, nearDistance, nearDuplicateClusters } from './clusters.ts';

const h = (id: string, phash: string, phashMirrored = 'ffffffffffffffff') => ({ id, phash, phashMirrored });

describe('exactDuplicateGroups', () => {
  it('groups items with the same sha256, first upload first', () => {
    const groups = exactDuplicateGroups([
      { id: 'a', sha256: 'x' },
      { id: 'b', sha256: 'y' },
      { id: 'c', sha256: 'x' },
      { id: 'd', sha256: 'x' },
    ]);
    expect(groups.map((g) => g.map((i) => i.id))).toEqual([['a', 'c', 'd']]);
  });
});

describe('nearDuplicateClusters', () => {
  it('joins chains transitively (union-find) and leaves distinct photos alone', () => {
    const items = [
      h('a', '0000000000000000'),
      h('b', '000000000000000f'), // 4 from a
      h('c', '00000000000000ff'), // 4 from b, 8 from a
      h('d', 'f0f0f0f0f0f0f0f0'),
    ];
    const clusters = nearDuplicateClusters(items, 4);
    expect(clusters).toHaveLength(1);
    expect(clusters[0]!.members.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(clusters[0]!.maxDistance).toBe(8);
  });

  it('finds mirrored copies through the mirror hash', () => {
    const original = h('o', '0123456789abcdef', 'fedcba9876543210');
    const flipped = h('f', 'fedcba9876543210', '0123456789abcdef');
    expect(nearDistance(original, flipped)).toEqual({ distance: 0, mirrored: true });
    expect(nearDuplicateClusters([original, flipped], 6)).toHaveLength(1);
  });
});

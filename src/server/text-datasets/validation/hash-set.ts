// Set of 64-bit conversation hashes for duplicate detection, in typed arrays: open addressing
// with linear probing, load ≤ 0.75, doubling. A slot is 12 bytes (two uint32 words of hash and
// the uint32 line of the first occurrence, so a duplicate can name it). The default cap of 6M
// distinct conversations means at most 8M slots = 96 MiB — a JS Set<bigint> would need ~50+
// bytes per entry. Past the cap, `add` returns FULL and the caller stops checking duplicates
// (and says so in the report).

export const ADDED = 0;
export const FULL = -1;

export class Hash64Set {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private line: Uint32Array;
  private mask: number;
  size = 0;

  constructor(private readonly maxSize: number, initialSlots = 1 << 12) {
    this.hi = new Uint32Array(initialSlots);
    this.lo = new Uint32Array(initialSlots);
    this.line = new Uint32Array(initialSlots);
    this.mask = initialSlots - 1;
  }

  /**
   * ADDED, FULL, or the line (≥ 1) of the earlier identical conversation. `hi` must be
   * non-zero (0 marks an empty slot); lines above 2³²−1 are stored saturated.
   */
  add(hi: number, lo: number, line: number): number {
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & this.mask;
    for (;;) {
      const h = this.hi[i]!;
      if (h === 0) break;
      if (h === hi && this.lo[i] === lo) return this.line[i]!;
      i = (i + 1) & this.mask;
    }
    if (this.size >= this.maxSize) return FULL;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.line[i] = Math.min(line, 0xffffffff);
    this.size++;
    if (this.size * 4 > this.hi.length * 3) this.grow();
    return ADDED;
  }

  private grow(): void {
    const { hi, lo, line } = this;
    const slots = hi.length * 2;
    this.hi = new Uint32Array(slots);
    this.lo = new Uint32Array(slots);
    this.line = new Uint32Array(slots);
    this.mask = slots - 1;
    for (let s = 0; s < hi.length; s++) {
      const h = hi[s]!;
      if (h === 0) continue;
      let i = (lo[s]! ^ Math.imul(h, 0x9e3779b1)) & this.mask;
      while (this.hi[i] !== 0) i = (i + 1) & this.mask;
      this.hi[i] = h;
      this.lo[i] = lo[s]!;
      this.line[i] = line[s]!;
    }
  }
}

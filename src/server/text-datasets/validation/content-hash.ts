import type { Turn } from './types.ts';

// The identity of a conversation, used for duplicate detection and the deterministic
// train/validation split: a 64-bit hash of its normalized content (every turn's role and
// text, and the tool definitions), so the same conversation in two formats is a duplicate.
//
// Speed matters here (it runs on every record of a 10 GB file), so the content is encoded to
// UTF-8 once into a reused buffer — which also yields each turn's byte length for the
// `approx-bytes` tokenizer — and hashed in JS, 4 bytes at a time, by two MurmurHash3-style
// 32-bit lanes mixed into 64 bits (non-cryptographic; about 1.7× faster than SHA-1 of the
// joined string here). Collision chance for n conversations is about n²/2⁶⁵ (≈ 3·10⁻⁶ at
// 10M). Each turn is framed as [role tag][byte length][bytes], so no two different turn
// lists encode to the same bytes.

export interface Hash64 {
  hi: number;
  lo: number;
}

const TAG = { system: 1, user: 2, assistant: 3, tool: 4 } as const;
const TOOLS_TAG = 5;

export class ConversationEncoder {
  /** UTF-8 byte length of each turn's content, filled by `hash`. */
  readonly turnBytes: number[] = [];
  toolsBytes = 0;
  private buf = Buffer.alloc(1 << 20);
  private words = new Uint32Array(this.buf.buffer, 0, this.buf.length >> 2);

  private ensure(need: number): void {
    if (need <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(need + 8, this.buf.length * 2));
    this.buf = next;
    this.words = new Uint32Array(next.buffer, next.byteOffset, next.length >> 2);
  }

  private frame(off: number, tag: number, s: string): number {
    // A UTF-16 unit is at most 3 UTF-8 bytes; reserve before writing (write() truncates).
    this.ensure(off + 5 + s.length * 3 + 4);
    const buf = this.buf;
    const n = buf.write(s, off + 5, 'utf8');
    buf[off] = tag;
    buf.writeUInt32LE(n, off + 1);
    return n;
  }

  hash(turns: Turn[], tools: string | null, out: Hash64): Hash64 {
    let off = 0;
    this.toolsBytes = 0;
    if (tools) off += 5 + (this.toolsBytes = this.frame(off, TOOLS_TAG, tools));
    const bytes = this.turnBytes;
    bytes.length = turns.length;
    for (let i = 0; i < turns.length; i++) {
      const t = turns[i]!;
      const n = this.frame(off, TAG[t.role], t.content);
      bytes[i] = n;
      off += 5 + n;
    }
    const len = off;
    while (off & 3) this.buf[off++] = 0;
    return mix(this.words, off >> 2, len, out);
  }
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const C3 = 0x239b961b;
const C4 = 0xab0e9789;

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function mix(w: Uint32Array, n: number, len: number, out: Hash64): Hash64 {
  let h1 = 0x9747b28c;
  let h2 = 0x3c6ef372;
  for (let i = 0; i < n; i++) {
    const k = w[i]!;
    let k1 = Math.imul(k, C1);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, C2);
    h1 = (h1 << 13) | (h1 >>> 19);
    h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;
    let k2 = Math.imul(k, C3);
    k2 = (k2 << 16) | (k2 >>> 16);
    h2 ^= Math.imul(k2, C4);
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (Math.imul(h2, 5) + 0x38b34ae5 + h1) | 0;
  }
  h1 ^= len;
  h2 ^= len;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) >>> 0;
  h2 = (h2 + h1) >>> 0;
  // hi is never 0: 0 marks an empty slot in Hash64Set.
  out.hi = h1 || 1;
  out.lo = h2;
  return out;
}

/** Deterministic split: the low word as a fraction of 2³². */
export const inValidation = (h: Hash64, fraction: number) => h.lo / 4294967296 < fraction;

import { isUtf8 } from 'node:buffer';

// UTF-8 helpers. The fast path checks a whole region of complete lines with the native
// `isUtf8` and decodes it once; only a region that fails is re-checked line by line, so
// the cost of locating a bad byte is paid only by files that have one.

// ignoreBOM: true — the BOM is stripped once, at byte level, at the start of the file;
// a U+FEFF anywhere else is content and must reach JSON.parse (which then rejects it).
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Byte offset of the first invalid UTF-8 sequence, or -1. Slow path only. */
export function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // continuation bytes and the smallest code point each lead byte may encode
    const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (need === 0) return i;
    const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000;
    if (i + need >= n) return i; // truncated sequence
    let cp = c & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const cc = b[i + k];
      if (cc === undefined || (cc & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

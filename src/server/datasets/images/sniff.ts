// Magic-byte sniffing. The extension and the client's content type are never trusted:
// the decoder is chosen from the first bytes only, and formats we cannot train on are
// named here so the rejection can say what the file really is.

export type SniffedFormat = 'jpeg' | 'png' | 'webp' | 'gif' | 'avif' | 'heic' | 'unknown';

const ISO_BMFF_AVIF_BRANDS = new Set(['avif', 'avis']);
// HEIF brands that carry HEVC (iPhone photos) or are generic HEIF containers.
const ISO_BMFF_HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1', 'mif2']);

function ascii(bytes: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < Math.min(end, bytes.length); i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  if (bytes.length < sig.length) return false;
  return sig.every((b, i) => bytes[i] === b);
}

// ISO BMFF (`ftyp` box): AVIF and HEIC share the container, so look at the major brand and
// the compatible brands. `mif1` alone is generic HEIF; if `avif` is listed anywhere it is AVIF.
function sniffIsoBmff(bytes: Uint8Array): SniffedFormat | null {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return null;
  const boxSize = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
  const end = Math.min(bytes.length, boxSize >= 16 ? boxSize : 16, 256);
  const brands = [ascii(bytes, 8, 12)];
  for (let off = 16; off + 4 <= end; off += 4) brands.push(ascii(bytes, off, off + 4));
  if (brands.some((b) => ISO_BMFF_AVIF_BRANDS.has(b))) return 'avif';
  if (brands.some((b) => ISO_BMFF_HEIF_BRANDS.has(b))) return 'heic';
  return 'unknown';
}

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return 'webp';
  const gif = ascii(bytes, 0, 6);
  if (gif === 'GIF87a' || gif === 'GIF89a') return 'gif';
  return sniffIsoBmff(bytes) ?? 'unknown';
}

// sharp's `metadata().format` for each accepted sniffed format; a mismatch means the file
// is not what its first bytes claim and is rejected.
export const SHARP_FORMAT_FOR: Record<Exclude<SniffedFormat, 'heic' | 'unknown'>, string> = {
  jpeg: 'jpeg',
  png: 'png',
  webp: 'webp',
  gif: 'gif',
  avif: 'heif',
};

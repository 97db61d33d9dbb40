import { describe, expect, it } from 'vitest';
import { sniffFormat } from './sniff.ts';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));
const ftyp = (major: string, ...compatible: string[]) => {
  const body = `ftyp${major}\0\0\0\0${compatible.join('')}`;
  return bytes([0, 0, 0, 8 + body.length - 4 + 4 - 4], body, [0, 0, 0, 0]);
};

describe('sniffFormat', () => {
  it('recognises the accepted formats from their first bytes', () => {
    expect(sniffFormat(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFormat(bytes([0x89], 'PNG\r\n\x1a\n'))).toBe('png');
    expect(sniffFormat(bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '))).toBe('webp');
    expect(sniffFormat(bytes('GIF89a'))).toBe('gif');
    expect(sniffFormat(bytes('GIF87a'))).toBe('gif');
  });

  it('tells AVIF from HEIC inside the shared ISO-BMFF container', () => {
    expect(sniffFormat(ftyp('avif', 'mif1', 'miaf'))).toBe('avif');
    expect(sniffFormat(ftyp('heic', 'mif1', 'heic'))).toBe('heic');
    expect(sniffFormat(ftyp('heix', 'mif1'))).toBe('heic');
    // generic HEIF brand, but AVIF listed as compatible: AVIF
    expect(sniffFormat(ftyp('mif1', 'avif'))).toBe('avif');
    expect(sniffFormat(ftyp('isom', 'mp41'))).toBe('unknown');
  });

  it('ignores what the name or the client would claim', () => {
    expect(sniffFormat(new Uint8Array(0))).toBe('unknown');
    expect(sniffFormat(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('unknown');
    expect(sniffFormat(bytes('%PDF-1.7'))).toBe('unknown');
    expect(sniffFormat(bytes([0xff, 0xd8]))).toBe('unknown'); // too short to be a JPEG
  });
});

import { describe, expect, it } from 'vitest';
import { ValidationError } from '@/server/errors';
import { MAX_PARTS, MAX_UPLOAD_BYTES, MIN_PART_BYTES, MULTIPART_THRESHOLD, partSizeFor, planParts } from '@/server/storage/multipart';
import { parseRangeHeader } from '@/server/storage/range';

describe('part sizing', () => {
  it('keeps every upload up to 10 GiB within 10,000 parts of at least 5 MiB', () => {
    for (const total of [1, MIN_PART_BYTES, MULTIPART_THRESHOLD, 10 * 1000 ** 3, MAX_UPLOAD_BYTES, 200 * 1024 ** 3]) {
      const { partSize, parts } = planParts(total);
      expect(partSize).toBeGreaterThanOrEqual(MIN_PART_BYTES);
      expect(partSize % (1024 * 1024)).toBe(0);
      expect(parts.length).toBeLessThanOrEqual(MAX_PARTS);
      expect(parts.reduce((s, p) => s + p.bytes, 0)).toBe(total);
      expect(parts.slice(0, -1).every((p) => p.bytes === partSize)).toBe(true);
      expect(parts.map((p) => p.partNumber)).toEqual(parts.map((_, i) => i + 1));
    }
    expect(planParts(MAX_UPLOAD_BYTES).parts.length).toBe(1280); // 8 MiB parts
  });

  it('refuses sizes S3 cannot take', () => {
    expect(() => partSizeFor(0)).toThrow(ValidationError);
    expect(() => partSizeFor(1.5)).toThrow(ValidationError);
    expect(() => partSizeFor(6 * 1024 ** 4 * 10)).toThrow(ValidationError);
  });
});

describe('Range header', () => {
  const r = (h: string | null, size = 100) => parseRangeHeader(h, size);
  it('parses the three single-range forms', () => {
    expect(r('bytes=0-9')).toEqual({ kind: 'range', start: 0, end: 9 });
    expect(r('bytes=90-')).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(r('bytes=-10')).toEqual({ kind: 'range', start: 90, end: 99 });
    expect(r('bytes=-1000')).toEqual({ kind: 'range', start: 0, end: 99 });
    expect(r('bytes=50-5000')).toEqual({ kind: 'range', start: 50, end: 99 });
  });
  it('reports unsatisfiable ranges', () => {
    expect(r('bytes=100-')).toEqual({ kind: 'unsatisfiable' });
    expect(r('bytes=100-200')).toEqual({ kind: 'unsatisfiable' });
    expect(r('bytes=-0')).toEqual({ kind: 'unsatisfiable' });
    expect(r('bytes=0-0', 0)).toEqual({ kind: 'unsatisfiable' });
    expect(r('bytes=99999999999999999999-')).toEqual({ kind: 'unsatisfiable' });
  });
  it('ignores what it does not serve', () => {
    for (const h of [null, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'bytes=0-1,3-4', 'items=0-1', 'bytes=a-b']) expect(r(h), String(h)).toEqual({ kind: 'none' });
  });
});

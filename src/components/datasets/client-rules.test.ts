import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fileProblemsOf } from './api.ts';
import { contentTypeOf, refusalOf } from './file-rules.ts';
import { sha256Js } from './sha256.ts';

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });

describe('browser-side dataset helpers', () => {
  it('the pure-JS sha256 (for non-secure contexts) matches node:crypto at every padding boundary', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 70_001]) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 131 + n) & 0xff);
      expect(sha256Js(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('refuses HEIC with the same "convert to JPEG" message as the server, and other non-images', () => {
    expect(refusalOf(file('IMG_0001.HEIC', ''))).toMatch(/^IMG_0001\.HEIC is a HEIC\/HEIF photo\. Convert it to JPEG first/);
    expect(refusalOf(file('x.jpg', 'image/heif'))).toMatch(/Convert it to JPEG/);
    expect(refusalOf(file('anim.gif', 'image/gif'))).toMatch(/not a JPEG, PNG, WebP or AVIF/);
    expect(refusalOf(file('empty.jpg', 'image/jpeg', 0))).toMatch(/empty/);
    expect(refusalOf(file('ok.jpg', 'image/jpeg'))).toBeNull();
    expect(contentTypeOf(file('photo.AVIF', ''))).toBe('image/avif');
  });

  it('reads per-file problems from init (index, name) and commit (key, filename) details', () => {
    expect(fileProblemsOf({ files: [{ path: 'files.2', name: 'a.heic', message: 'm1' }] })).toEqual([{ index: 2, name: 'a.heic', key: null, message: 'm1' }]);
    expect(fileProblemsOf({ files: [{ key: 'k/1', filename: 'b.jpg', message: 'm2' }] })).toEqual([{ index: null, name: 'b.jpg', key: 'k/1', message: 'm2' }]);
    expect(fileProblemsOf([{ path: 'name', message: 'zod issue' }])).toEqual([]);
    expect(fileProblemsOf(undefined)).toEqual([]);
  });
});

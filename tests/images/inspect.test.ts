import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { withTimeout, TimeoutError } from '@/server/datasets/images/async.ts';
import { inspectImage, type InspectResult } from '@/server/datasets/images/index.ts';
import { animated, faceScene, heicHeader, pixelBombPng } from './synthetic.ts';

// inspectImage on generated files: every awkward case a phone, an editor or an attacker
// can produce, each either measured correctly or rejected with a reason naming the file.

const rejected = (r: InspectResult) => {
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.facts)}`);
  return r.rejection;
};
const facts = (r: InspectResult) => {
  if (!r.ok) throw new Error(`expected facts, got ${r.rejection.message}`);
  return r.facts;
};
const photo = () => faceScene({ seed: 3, width: 900, height: 600, scale: 1.5 });

describe('inspectImage', () => {
  it('measures an ordinary JPEG', async () => {
    const bytes = await photo();
    const r = await inspectImage(bytes, { filename: 'a.jpg', keepPixels: true });
    const f = facts(r);
    expect(f).toMatchObject({ format: 'jpeg', width: 900, height: 600, orientation: 1, sourceBitDepth: 8, hadAlpha: false, bytes: bytes.length });
    expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(f.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(f.sharpness).toBeGreaterThan(10);
    expect(f.exposure.mean).toBeGreaterThan(0.2);
    expect(r.ok && r.pixels).toMatchObject({ width: 1024, height: 683 });
  });

  it('applies EXIF orientation before measuring', async () => {
    const plain = await sharp(await photo()).jpeg().toBuffer();
    const rotated = await sharp(await photo()).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const f = facts(await inspectImage(rotated, { filename: 'rotated.jpg' }));
    expect([f.width, f.height, f.orientation]).toEqual([600, 900, 6]);
    // Not the same picture once upright: the hash reflects what the trainer will see.
    expect(f.phash).not.toBe(facts(await inspectImage(plain, { filename: 'plain.jpg' })).phash);
  });

  it('converts CMYK and 16-bit images and flattens alpha', async () => {
    const cmyk = await sharp(await photo()).toColourspace('cmyk').jpeg().toBuffer();
    const deep = await sharp(await photo()).toColourspace('rgb16').png().toBuffer();
    const alpha = await sharp({ create: { width: 600, height: 600, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    expect(facts(await inspectImage(cmyk, { filename: 'cmyk.jpg' }))).toMatchObject({ sourceColourSpace: 'cmyk', format: 'jpeg' });
    expect(facts(await inspectImage(deep, { filename: 'deep.png' }))).toMatchObject({ sourceBitDepth: 16, format: 'png' });
    const a = facts(await inspectImage(alpha, { filename: 'alpha.png' }));
    expect(a.hadAlpha).toBe(true);
    expect(a.exposure.mean).toBe(1); // transparent black became white, not black
  });

  it('accepts WebP, AVIF and still GIF by their bytes, whatever the name says', async () => {
    const base = sharp(await photo());
    expect(facts(await inspectImage(await base.clone().webp().toBuffer(), { filename: 'x.jpg' })).format).toBe('webp');
    expect(facts(await inspectImage(await base.clone().avif({ effort: 0 }).toBuffer(), { filename: 'x.png' })).format).toBe('avif');
    expect(facts(await inspectImage(await base.clone().gif().toBuffer(), { filename: 'x.gif' })).format).toBe('gif');
  });

  it('rejects truncated and corrupt files with a reason', async () => {
    const jpeg = await photo();
    const png = await sharp(jpeg).png().toBuffer();
    const cutJpeg = rejected(await inspectImage(jpeg.subarray(0, Math.floor(jpeg.length / 2)), { filename: 'cut.jpg' }));
    expect(cutJpeg.code).toBe('decode_failed');
    expect(cutJpeg.message).toMatch(/^"cut\.jpg" could not be decoded: .+/);
    expect(rejected(await inspectImage(png.subarray(0, Math.floor(png.length / 2)), { filename: 'cut.png' })).code).toBe('decode_failed');
    const header = Buffer.from(jpeg.subarray(0, 200));
    header.fill(0xaa, 20, 200);
    expect(rejected(await inspectImage(header, { filename: 'garbled.jpg' })).code).toBe('decode_failed');
  });

  it('rejects animations, HEIC, unknown and empty files', async () => {
    for (const format of ['gif', 'webp'] as const) {
      const r = rejected(await inspectImage(await animated(format), { filename: `anim.${format}` }));
      expect([r.code, r.message]).toEqual(['animated', `"anim.${format}" is animated (3 frames); training needs still photos.`]);
    }
    const heic = rejected(await inspectImage(heicHeader(), { filename: 'IMG_0001.HEIC' }));
    expect(heic.code).toBe('heic_not_supported');
    expect(heic.message).toContain('"IMG_0001.HEIC"');
    expect(heic.message).toContain('Convert it to JPEG');
    expect(rejected(await inspectImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), { filename: 'a.jpg' })).code).toBe('unsupported_format');
    const empty = await inspectImage(new Uint8Array(0), { filename: 'empty.jpg' });
    expect(rejected(empty).code).toBe('empty_file');
    expect(!empty.ok && empty.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('refuses a pixel bomb from its header, before decoding', async () => {
    const bomb = pixelBombPng(65536, 65536);
    expect(bomb.length).toBeLessThan(10_000);
    const r = rejected(await inspectImage(bomb, { filename: 'bomb.png' }));
    expect(r.code).toBe('too_many_pixels');
    // below sharp's own limit but above ours
    const big = rejected(await inspectImage(pixelBombPng(12000, 9000), { filename: 'big.png', maxPixels: 50_000_000 }));
    expect([big.code, big.message]).toEqual(['too_many_pixels', '"big.png" is too large to process (12000 × 9000 pixels).']);
  });

  it('never waits forever', async () => {
    await expect(withTimeout(new Promise(() => {}), 20)).rejects.toBeInstanceOf(TimeoutError);
  });
});

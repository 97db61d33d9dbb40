import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@/server/errors.ts';
import { normalizeImage } from '@/server/datasets/images/index.ts';
import { faceScene, heicHeader } from './synthetic.ts';

// The stored copy of a face photo must not leak where or with what it was taken.

function hasGpsPointer(exif: Buffer): boolean {
  // Tag 0x8825 (GPSInfo IFD pointer) in either byte order.
  return exif.includes(Buffer.from([0x25, 0x88])) || exif.includes(Buffer.from([0x88, 0x25]));
}

describe('normalizeImage', () => {
  it('strips EXIF (GPS included), XMP and ICC data, and applies the orientation', async () => {
    const original = await sharp(await faceScene({ seed: 4, width: 3000, height: 2000, scale: 3 }))
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Make: 'TestCam', Model: 'Secret 1' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 7/1' },
      })
      .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></x:xmpmeta>')
      .toBuffer();
    const before = await sharp(original).metadata();
    expect(before.orientation).toBe(6);
    expect(hasGpsPointer(before.exif!)).toBe(true);
    expect(before.xmp).toBeDefined();

    const out = await normalizeImage(original, { filename: 'holiday.jpg' });
    const after = await sharp(out.image).metadata();
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(out.image.includes(Buffer.from('TestCam'))).toBe(false);
    // 3000×2000 stored with orientation 6 is a 2000×3000 portrait; longest side capped at 2048.
    expect([out.width, out.height, after.width, after.height]).toEqual([1365, 2048, 1365, 2048]);

    const thumb = await sharp(out.thumbnail).metadata();
    expect([thumb.format, Math.max(thumb.width, thumb.height), thumb.exif]).toEqual(['webp', 256, undefined]);
    expect(out.thumbnailHeight).toBeGreaterThan(out.thumbnailWidth);
  });

  it('keeps small images at their size and outputs 8-bit sRGB', async () => {
    const deep = await sharp({ create: { width: 640, height: 480, channels: 4, background: { r: 10, g: 200, b: 30, alpha: 0.5 } } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    const out = await normalizeImage(deep);
    const meta = await sharp(out.image).metadata();
    expect([out.width, out.height, meta.space, meta.depth, meta.channels]).toEqual([640, 480, 'srgb', 'uchar', 3]);
  });

  it('throws a ValidationError carrying the rejection for unusable input', async () => {
    const err = await normalizeImage(heicHeader(), { filename: 'IMG_2.HEIC' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details).toMatchObject({ code: 'heic_not_supported' });
    expect((err as ValidationError).message).toContain('"IMG_2.HEIC"');
  });
});

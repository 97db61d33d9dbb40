import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { ChosenReference } from '@/server/compile/references';
import { getStorage } from '@/server/storage';
import type { PackImage } from './schemas.ts';

// Longest side of a pack image: enough for a reference or a start frame, small enough to
// upload anywhere. Copies are already EXIF-free; re-encoding without `withMetadata` makes
// sure nothing (EXIF, XMP, IPTC, ICC) can ride along even if a source copy ever had some.
const MAX_SIDE = 1536;
const SOURCE_MAX_BYTES = 64 * 1024 * 1024;

export interface PackImageFile extends PackImage {
  data: Buffer;
}

export async function renderPackImages(refs: ChosenReference[]): Promise<PackImageFile[]> {
  const { driver } = getStorage();
  const out: PackImageFile[] = [];
  for (const [i, ref] of refs.entries()) {
    const source = await driver.getBytes(ref.sourceKey, { maxBytes: SOURCE_MAX_BYTES });
    const { data, info } = await sharp(source, { failOn: 'error' })
      .rotate()
      .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .toColourspace('srgb')
      .jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
      .toBuffer({ resolveWithObject: true });
    const label = ref.pose ?? 'photo';
    out.push({
      file: `images/${String(i + 1).padStart(2, '0')}-${label}.jpg`,
      sha256: createHash('sha256').update(data).digest('hex'),
      bytes: data.length,
      width: info.width,
      height: info.height,
      pose: ref.pose,
      source_item_id: ref.item_id,
      data,
    });
  }
  return out;
}

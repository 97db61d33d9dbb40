import sharp from 'sharp';
import { laplacianVariance, measureExposure } from './measure.ts';
import type { FaceBox, FaceQuality, RgbImage } from './schemas.ts';

// Sharpness and exposure of the face itself. Whole-photo measures mislead on portraits: a
// low-key studio shot (black backdrop, shallow depth of field) has a dark, smooth frame
// around a perfectly sharp, well-lit face. The crop is taken from the analysis image (the
// photo at training scale, 1024 px on its longer side) without resizing, so it measures
// the blur the trainer will actually see.

export async function measureFaceQuality(rgb: RgbImage, box: FaceBox): Promise<FaceQuality | null> {
  const left = Math.max(0, Math.floor(box.x * rgb.width));
  const top = Math.max(0, Math.floor(box.y * rgb.height));
  const width = Math.min(rgb.width - left, Math.ceil(box.width * rgb.width));
  const height = Math.min(rgb.height - top, Math.ceil(box.height * rgb.height));
  if (width < 8 || height < 8) return null;
  const { data, info } = await sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } })
    .extract({ left, top, width, height })
    .greyscale()
    .extractChannel(0)
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  const grey = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { sharpness: laplacianVariance(grey, info.width, info.height), exposure: measureExposure(grey) };
}

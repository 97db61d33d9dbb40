import type { Guidance } from '@/components/datasets/uploader';

export type ImageKind = 'identity' | 'style' | 'product';
export interface KindLimits {
  min: number;
  recommendedMin: number;
  recommendedMax: number;
  max: number;
}

/** What to upload for each kind; the numbers come from the validator's count limits. */
export function guidanceFor(kind: ImageKind, l: KindLimits): Guidance {
  switch (kind) {
    case 'identity':
      return {
        headline: `${l.recommendedMin} photos, at least ${l.min}, different angles, one person, no sunglasses or group shots.`,
        tips: [
          'Sharp, well lit, the face clearly visible',
          'Head turned left and right, a few looking up or down',
          'Different places, outfits, expressions and light',
          `At most ${l.max}; near-identical shots count once`,
        ],
      };
    case 'style':
      return {
        headline: `${l.recommendedMin}–${l.recommendedMax} images in one consistent style, at least ${l.min}; varied subjects and compositions.`,
        tips: ['The same look in every image', 'Many different subjects and scenes', 'No text overlays, logos or watermarks', `At most ${l.max} images`],
      };
    case 'product':
      return {
        headline: `${l.recommendedMin}–${l.recommendedMax} photos of the product, at least ${l.min}; different angles and backgrounds.`,
        tips: ['The whole product in focus, not cropped', 'Front, sides, back and details', 'Different backgrounds and light', `At most ${l.max} photos`],
      };
  }
}

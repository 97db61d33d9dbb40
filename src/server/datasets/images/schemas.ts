import { z } from 'zod';

// Facts the engine measures about one image and one face. camelCase: these are engine
// values that the dataset service stores in `lora_dataset_items`; the persisted report
// (report-schema.ts) is the snake_case public document.

export const ImageFormatSchema = z
  .enum(['jpeg', 'png', 'webp', 'gif', 'avif'])
  .describe('Format decoded from the magic bytes (never from the extension or content type).');
export type ImageFormat = z.infer<typeof ImageFormatSchema>;

export const ExposureSchema = z
  .object({
    mean: z.number().min(0).max(1).describe('Mean luminance, 0 = black, 1 = white.'),
    shadowsClipped: z.number().min(0).max(1).describe('Fraction of pixels at or near pure black.'),
    highlightsClipped: z.number().min(0).max(1).describe('Fraction of pixels at or near pure white.'),
  })
  .describe('Exposure measured on the oriented, sRGB, greyscale analysis image.');
export type Exposure = z.infer<typeof ExposureSchema>;

export const ImageFactsSchema = z
  .object({
    format: ImageFormatSchema,
    width: z.number().int().positive().describe('Width after EXIF orientation.'),
    height: z.number().int().positive().describe('Height after EXIF orientation.'),
    orientation: z.number().int().min(1).max(8).describe('EXIF orientation that was applied (1 = none).'),
    sourceColourSpace: z.string().describe('Colour space as stored (srgb, cmyk, grey16, rgb16…); output is always 8-bit sRGB.'),
    sourceBitDepth: z.number().int().describe('Bits per channel as stored (8 or 16).'),
    hadAlpha: z.boolean().describe('True when an alpha channel was flattened onto white.'),
    bytes: z.number().int().nonnegative().describe('Size of the original file.'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).describe('sha256 of the original bytes.'),
    phash: z.string().regex(/^[0-9a-f]{16}$/).describe('64-bit DCT perceptual hash, hex.'),
    phashMirrored: z.string().regex(/^[0-9a-f]{16}$/).describe('pHash of the horizontally mirrored image (finds flipped copies).'),
    sharpness: z.number().nonnegative().describe('Variance of the Laplacian on a greyscale copy 1024 px on its longer side.'),
    exposure: ExposureSchema,
  })
  .describe('What inspectImage measured on a decodable image.');
export type ImageFacts = z.infer<typeof ImageFactsSchema>;

export const RejectionCodeSchema = z
  .enum([
    'empty_file',
    'unsupported_format',
    'heic_not_supported',
    'format_mismatch',
    'animated',
    'too_many_pixels',
    'decode_failed',
    'decode_timeout',
  ])
  .describe('Why a file could not be used at all.');
export type RejectionCode = z.infer<typeof RejectionCodeSchema>;

export const RejectionSchema = z
  .object({
    code: RejectionCodeSchema,
    message: z.string().describe('Human sentence that names the file.'),
    hint: z.string().describe('How to fix it.'),
  })
  .describe('An image that cannot be decoded or used.');
export type Rejection = z.infer<typeof RejectionSchema>;

export const FaceBoxSchema = z
  .object({
    x: z.number(),
    y: z.number(),
    width: z.number(),
    height: z.number(),
  })
  .describe('Face box relative to the oriented image (0..1).');
export type FaceBox = z.infer<typeof FaceBoxSchema>;

export const DetectedFaceSchema = z
  .object({
    box: FaceBoxSchema,
    sizeRatio: z.number().min(0).max(1).describe('sqrt(face box area / image area): ~0.5 for a head shot, ~0.05 for a full body.'),
    score: z.number().min(0).max(1).describe('Detector confidence.'),
    yaw: z.number().describe('Degrees; positive = face turned towards the left of the image.'),
    pitch: z.number().describe('Degrees; positive = face tilted up.'),
    roll: z.number().describe('Degrees of in-plane tilt.'),
    embedding: z.array(z.number()).describe('Identity descriptor (unit length); compare with cosine similarity.'),
  })
  .describe('One face found by the face analyzer.');
export type DetectedFace = z.infer<typeof DetectedFaceSchema>;

export const FaceAnalysisSchema = z
  .object({ faces: z.array(DetectedFaceSchema).describe('Largest face first.') })
  .describe('Faces found in one image.');
export type FaceAnalysis = z.infer<typeof FaceAnalysisSchema>;

/** An 8-bit sRGB pixel buffer, 3 channels, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

export const FaceQualitySchema = z
  .object({
    sharpness: z.number().nonnegative().describe('Variance of the Laplacian on the face crop, at training scale.'),
    exposure: ExposureSchema,
  })
  .describe('Sharpness and exposure of the main face only.');
export type FaceQuality = z.infer<typeof FaceQualitySchema>;

export const ItemFactsSchema = z
  .object({
    id: z.string().min(1).describe('Dataset item id.'),
    filename: z.string().describe('Name the person gave the file; used in messages.'),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    facts: ImageFactsSchema.nullable().describe('null when the file was rejected.'),
    rejection: RejectionSchema.nullable(),
    faces: FaceAnalysisSchema.nullable().describe('null when faces were not analysed.'),
    faceQuality: FaceQualitySchema.nullable().describe('Measured on the main face when there is one.'),
    faceError: z.string().nullable().describe('Why face analysis failed for this file, if it did.'),
  })
  .describe('Everything measured about one item: the input of buildQualityReport.');
export type ItemFacts = z.infer<typeof ItemFactsSchema>;

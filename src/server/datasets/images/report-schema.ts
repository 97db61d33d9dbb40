import { z } from 'zod';
import { ImageFormatSchema, RejectionCodeSchema } from './schemas.ts';
import { ImageKindSchema } from './config.ts';
import { POSE_BUCKETS } from './pose.ts';

// The persisted quality report (lora_datasets.quality_report_json): snake_case JSON,
// versioned. Bump QUALITY_REPORT_SCHEMA_VERSION on any breaking change and keep readers of
// older versions. Embeddings are deliberately absent: they are biometric data and stay
// with the items, not in a document that is shown and exported.

export const QUALITY_REPORT_SCHEMA_VERSION = 1 as const;

export const ProblemCodeSchema = z
  .union([
    RejectionCodeSchema,
    z.enum([
      // per item
      'too_small',
      'below_recommended_resolution',
      'exact_duplicate',
      'near_duplicate',
      'blurry',
      'too_dark',
      'too_bright',
      'no_face',
      'multiple_faces',
      'extra_faces',
      'face_too_small',
      'face_tiny',
      'identity_outlier',
      'face_analysis_failed',
      // per set
      'no_usable_images',
      'count_below_min',
      'count_below_recommended',
      'count_above_recommended',
      'count_above_max',
      'too_few_distinct',
      'items_excluded',
      'exact_duplicates',
      'near_duplicates',
      'item_warnings',
      'pose_coverage',
      'identity_outliers',
      'mixed_identities',
      'identity_unchecked',
      'faces_not_checked',
    ]),
  ])
  .describe('Stable machine code of a problem.');
export type ProblemCode = z.infer<typeof ProblemCodeSchema>;

export const SeveritySchema = z.enum(['warn', 'block']).describe('block: the item is not used / the set cannot train.');
export type Severity = z.infer<typeof SeveritySchema>;

export const ProblemSchema = z
  .object({
    code: ProblemCodeSchema,
    severity: SeveritySchema,
    message: z.string().describe('What is wrong, naming the file(s).'),
    hint: z.string().describe('How to fix it.'),
    item_ids: z.array(z.string()).optional().describe('Items concerned (set-level problems).'),
  })
  .describe('One finding with its fix.');
export type Problem = z.infer<typeof ProblemSchema>;

export const PoseBucketSchema = z.enum(POSE_BUCKETS).describe('Viewer-side pose bucket.');

export const ReportFaceSchema = z
  .object({
    box: z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() }).describe('Relative to the oriented image.'),
    size_ratio: z.number().describe('sqrt(face area / image area).'),
    size_px: z.number().describe('Shorter side of the face box in original pixels.'),
    score: z.number(),
    yaw: z.number().describe('Degrees, positive = turned towards the image left.'),
    pitch: z.number().describe('Degrees, positive = tilted up.'),
    roll: z.number().describe('Degrees.'),
    pose: PoseBucketSchema,
  })
  .describe('The main (largest) face of a photo.');

export const ReportItemSchema = z
  .object({
    id: z.string(),
    filename: z.string(),
    status: z.enum(['ok', 'warn', 'rejected']).describe('rejected items are excluded from counts and training.'),
    bytes: z.number().int(),
    sha256: z.string(),
    format: ImageFormatSchema.nullable(),
    width: z.number().int().nullable().describe('After EXIF orientation.'),
    height: z.number().int().nullable().describe('After EXIF orientation.'),
    orientation: z.number().int().nullable(),
    phash: z.string().nullable(),
    sharpness: z.number().nullable().describe('Variance of the Laplacian at 512 px.'),
    exposure: z
      .object({ mean: z.number(), shadows_clipped: z.number(), highlights_clipped: z.number() })
      .nullable(),
    exact_duplicate_of: z.string().nullable().describe('Id of the first identical file.'),
    near_duplicate_cluster: z.string().nullable().describe('Id of the near-duplicate cluster.'),
    faces: z
      .object({
        count: z.number().int(),
        primary: ReportFaceSchema.nullable(),
        identity_similarity: z.number().nullable().describe('Cosine similarity to the set reference face.'),
        identity_distance: z.number().nullable().describe('1 − identity_similarity.'),
      })
      .nullable()
      .describe('null when faces were not analysed for this item.'),
    problems: z.array(ProblemSchema),
  })
  .describe('Findings for one uploaded file.');
export type ReportItem = z.infer<typeof ReportItemSchema>;

export const QualityReportSchema = z
  .object({
    schema_version: z.literal(QUALITY_REPORT_SCHEMA_VERSION),
    kind: ImageKindSchema,
    base_model: z.object({ id: z.string(), min_resolution: z.number().int(), recommended_resolution: z.number().int() }),
    faces_checked: z.boolean().describe('Whether face analysis ran.'),
    verdict: z.enum(['pass', 'warn', 'block']).describe('block disables training.'),
    reasons: z.array(z.string()).describe('Human sentences behind the verdict, most severe first.'),
    counts: z.object({
      total: z.number().int(),
      usable: z.number().int().describe('Not rejected.'),
      rejected: z.number().int(),
      distinct: z.number().int().describe('Usable, counting each near-duplicate cluster once.'),
      limits: z.object({
        min: z.number().int(),
        recommended_min: z.number().int(),
        recommended_max: z.number().int(),
        max: z.number().int(),
      }),
    }),
    pose_coverage: z
      .object({
        counts: z.record(PoseBucketSchema, z.number().int()),
        present: z.array(PoseBucketSchema),
        missing: z.array(PoseBucketSchema),
      })
      .nullable(),
    exact_duplicates: z.array(z.object({ sha256: z.string(), item_ids: z.array(z.string()) })),
    near_duplicate_clusters: z.array(
      z.object({ id: z.string(), item_ids: z.array(z.string()), max_distance: z.number().int() }),
    ),
    identity: z
      .object({
        method: z.literal('trimmed_medoid_centroid'),
        min_similarity: z.number(),
        compared: z.number().int().describe('Faces that took part.'),
        outlier_ids: z.array(z.string()),
      })
      .nullable(),
    thresholds: z.record(z.string(), z.number()).describe('The thresholds this report was computed with.'),
    problems: z.array(ProblemSchema).describe('Set-level problems.'),
    items: z.array(ReportItemSchema),
  })
  .describe('Quality report of an image dataset.');
export type QualityReport = z.infer<typeof QualityReportSchema>;

import { z } from 'zod';

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MAX_FILES_PER_INIT = 100;

export const InitFile = z.object({
  name: z.string().trim().min(1).max(255).describe('The file name on the person’s device.'),
  size: z.number().int().positive().max(MAX_IMAGE_BYTES).describe('Exact size in bytes.'),
  content_type: z.string().trim().min(1).max(100).describe('What the browser reports; the server sniffs the real format on commit.'),
});

export const InitDatasetInput = z.object({
  model_id: z.string().min(1).describe('The LoRA this dataset trains.'),
  dataset_id: z.string().min(1).optional().describe('Add files to an existing dataset of that LoRA instead of creating one.'),
  files: z.array(InitFile).min(1).max(MAX_FILES_PER_INIT),
});
export type InitDatasetInput = z.infer<typeof InitDatasetInput>;

export const UploadTarget = z.object({
  upload_id: z.string(),
  key: z.string().describe('Send this key back on commit.'),
  filename: z.string(),
  method: z.literal('PUT'),
  url: z.string().describe('Signed URL: PUT the file body here with the given headers.'),
  headers: z.record(z.string(), z.string()),
  expires_at: z.string(),
});

export const InitDatasetResult = z.object({
  dataset_id: z.string(),
  status: z.string(),
  uploads: z.array(UploadTarget),
});

export const CommitDatasetInput = z.object({
  dataset_id: z.string().min(1),
  files: z
    .array(
      z.object({
        key: z.string().min(1).max(1024),
        sha256: z.string().regex(/^[0-9a-f]{64}$/, 'a lower-case hex sha256').describe('The client’s sha256 of the bytes it uploaded.'),
      }),
    )
    .min(1)
    .max(MAX_FILES_PER_INIT),
});
export type CommitDatasetInput = z.infer<typeof CommitDatasetInput>;

export const ValidateDatasetInput = z.object({
  dataset_id: z.string().min(1),
  base_model: z.string().min(1).optional().describe('Trainable base model to check resolution against (default: flux-dev for images).'),
});
export type ValidateDatasetInput = z.infer<typeof ValidateDatasetInput>;

export const DatasetItemView = z.object({
  id: z.string(),
  filename: z.string(),
  content_type: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  status: z.enum(['ok', 'warn', 'rejected']),
  thumbnail_url: z.string().nullable().describe('Short-lived signed URL of the EXIF-free thumbnail.'),
  position: z.number(),
});

export const DatasetView = z.object({
  id: z.string(),
  model_id: z.string(),
  modality: z.enum(['image', 'text']),
  status: z.enum(['uploading', 'validating', 'ready', 'rejected', 'failed']),
  verdict: z.enum(['pass', 'warn', 'block']).nullable(),
  dataset_hash: z.string().nullable(),
  image_count: z.number().nullable(),
  example_count: z.number().nullable(),
  total_bytes: z.number().nullable(),
  quality_report: z.record(z.string(), z.unknown()).nullable(),
  pending_uploads: z.number().describe('Files announced at init and not committed yet.'),
  created_at: z.string(),
  updated_at: z.string(),
  items: z.array(DatasetItemView).optional(),
});
export type DatasetView = z.infer<typeof DatasetView>;

export const ListDatasetsQuery = z.object({
  model_id: z.string().optional(),
  modality: z.enum(['image', 'text']).optional(),
  status: z.enum(['uploading', 'validating', 'ready', 'rejected', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});
export type ListDatasetsQuery = z.infer<typeof ListDatasetsQuery>;
export const DatasetList = z.object({ data: z.array(DatasetView), next_cursor: z.string().nullable() });

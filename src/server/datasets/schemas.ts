import { z } from 'zod';
import { MAX_PARTS, MAX_UPLOAD_BYTES } from '@/server/storage/multipart';

export const IMAGE_CONTENT_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/avif'] as const;
export const MAX_IMAGE_BYTES = 50 * 1024 * 1024;
export const MAX_FILES_PER_INIT = 100;

export const InitFile = z.object({
  name: z.string().trim().min(1).max(255).describe('The file name on the person’s device.'),
  // The per-modality cap (photos 50 MB, a conversation file 10 GiB) is checked by init, with a clear message.
  size: z.number().int().positive().max(MAX_UPLOAD_BYTES, 'A file can be at most 10 GiB.').describe('Exact size in bytes.'),
  content_type: z.string().trim().max(100).describe('What the browser reports (may be empty for .jsonl); the server checks the real content on commit.'),
});

export const InitDatasetInput = z.object({
  model_id: z.string().min(1).describe('The LoRA this dataset trains.'),
  dataset_id: z.string().min(1).optional().describe('Add files to an existing dataset of that LoRA instead of creating one.'),
  files: z.array(InitFile).min(1).max(MAX_FILES_PER_INIT).describe('Photos for an image LoRA; exactly one .jsonl/.json conversation file for a text LoRA.'),
  base_model: z.string().min(1).max(100).optional().describe('Text LoRAs: the base model whose context length the conversations are checked against (default llama-3.1-8b-instruct).'),
  multipart: z.boolean().optional().describe('Text LoRAs: ask for a multipart upload even below the 64 MiB threshold (files over 5 MiB).'),
});
export type InitDatasetInput = z.infer<typeof InitDatasetInput>;

export const UploadTarget = z.object({
  upload_id: z.string(),
  key: z.string().describe('Send this key back on commit.'),
  filename: z.string(),
  method: z.literal('PUT'),
  url: z.string().optional().describe('Single upload: PUT the whole file here with `headers`. Absent for a multipart upload.'),
  headers: z.record(z.string(), z.string()).optional(),
  expires_at: z.string(),
  multipart: z
    .object({
      upload_id: z.string().describe('The storage multipart upload id.'),
      part_size: z.number().describe('Every part but the last has exactly this many bytes; part n starts at (n-1)·part_size.'),
      parts: z.array(
        z.object({
          part_number: z.number(),
          bytes: z.number().describe('Exact size of this part.'),
          url: z.string().describe('Signed URL: PUT this part’s bytes here; keep the ETag response header for commit.'),
          headers: z.record(z.string(), z.string()),
        }),
      ),
    })
    .optional()
    .describe('Multipart upload (large text files): PUT each part, then commit with every part’s ETag.'),
});
export type UploadTarget = z.infer<typeof UploadTarget>;

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
        parts: z
          .array(z.object({ part_number: z.number().int().min(1).max(MAX_PARTS), etag: z.string().min(1).max(200).describe('The ETag header the part upload answered.') }))
          .min(1)
          .max(MAX_PARTS)
          .optional()
          .describe('Multipart uploads: every part with its ETag (any order; sorted by the server).'),
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

export const DatasetError = z.object({ code: z.string(), message: z.string() }).describe('Why the dataset failed (e.g. checksum_mismatch, validation_error).');

export const DatasetView = z.object({
  id: z.string(),
  name: z.string(),
  model_id: z.string(),
  modality: z.enum(['image', 'text']),
  status: z.enum(['uploading', 'validating', 'ready', 'rejected', 'failed']),
  verdict: z.enum(['pass', 'warn', 'block']).nullable(),
  dataset_hash: z.string().nullable(),
  image_count: z.number().nullable(),
  example_count: z.number().nullable(),
  total_bytes: z.number().nullable(),
  quality_report: z.record(z.string(), z.unknown()).nullable(),
  validation_progress: z.number().min(0).max(1).nullable().describe('Text datasets: share of the file validated so far (0…1) while status is validating.'),
  error: DatasetError.nullable(),
  base_model: z.string().nullable().describe('Text datasets: the base model the conversations were checked against.'),
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
  q: z.string().trim().min(1).max(200).optional().describe('Search: part of the dataset name (any case) or its exact id.'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional(),
});
export type ListDatasetsQuery = z.infer<typeof ListDatasetsQuery>;
export const DatasetList = z.object({ data: z.array(DatasetView), next_cursor: z.string().nullable() });

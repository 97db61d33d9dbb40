import { z } from 'zod';

/** Sent in every job spec; a worker refuses a spec whose protocol it does not speak. */
export const PROTOCOL_VERSION = 'lora-studio/v1';

export const Modality = z.enum(['image', 'text']).describe('What the LoRA generates: images or text');
export type Modality = z.infer<typeof Modality>;

export const ModelKind = z
  .enum(['identity', 'style', 'product', 'chat'])
  .describe('What the LoRA is meant to capture');
export type ModelKind = z.infer<typeof ModelKind>;

export const BackendId = z
  .enum(['cpu-reference', 'ai-toolkit', 'kohya', 'axolotl'])
  .describe('Trainer backend that runs the job');
export type BackendId = z.infer<typeof BackendId>;

export const BaseFamily = z
  .enum(['flux', 'sdxl', 'llama', 'qwen', 'mistral', 'tiny'])
  .describe('Architecture family of the base model');
export type BaseFamily = z.infer<typeof BaseFamily>;

export const JobStatus = z
  .enum(['queued', 'dispatched', 'running', 'succeeded', 'failed', 'canceled', 'cancel_requested'])
  .describe('Control-plane status of a training job');
export type JobStatus = z.infer<typeof JobStatus>;

export const JobStage = z
  .enum(['queued', 'preparing', 'downloading', 'training', 'uploading', 'verifying', 'finalizing', 'done'])
  .describe('What the worker is doing right now');
export type JobStage = z.infer<typeof JobStage>;

// Shared field shapes. Times are ISO 8601 with an explicit zone so ordering is unambiguous.
export const IsoDateTime = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with zone');
export const Sha256Hex = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex characters')
  .describe('SHA-256 digest, lower-case hex');
export const HttpUrl = z.url({ protocol: /^https?$/ }).describe('http(s) URL');
export const StorageKey = z.string().min(1).max(1024).describe('Object storage key');
export const ByteCount = z.int().min(0).describe('Size in bytes');
export const JobId = z.string().min(1).max(128).describe('Job id (job_…)');
export const WorkerId = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits and . _ : - only (max 128)')
  .describe('Stable id the worker reports for itself');
export const Attempt = z.int().min(1).describe('Attempt number, 1 for the first run; +1 per re-queue');
export const StepNumber = z.int().min(0).describe('Optimizer step');

/** A presigned PUT the worker may use exactly as given. */
export const UploadSlot = z
  .object({
    key: StorageKey.describe('Storage key the upload lands at'),
    url: HttpUrl.describe('Presigned PUT URL'),
    method: z.literal('PUT').describe('HTTP method to use'),
    content_type: z.string().min(1).max(255).describe('Content-Type header the URL was signed with'),
    max_bytes: z.int().positive().describe('Largest body the URL accepts'),
    expires_at: IsoDateTime.describe('When the URL stops working'),
  })
  .describe('Presigned upload target');
export type UploadSlot = z.infer<typeof UploadSlot>;

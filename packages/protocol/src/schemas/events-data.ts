import { z } from 'zod';
import { BackendId, ByteCount, JobStage, Sha256Hex, StepNumber, StorageKey, WorkerId } from './common.ts';

// Payloads (`data`) of each worker event. Numbers are finite (Zod rejects NaN/±Infinity), so a
// diverged loss must be reported as a job.failed, not as a NaN metric.

const MAX_LOG_LINE_BYTES = 8 * 1024;
const encoder = new TextEncoder();
const LogLine = z
  .string()
  // Cheap path first: a string of n UTF-16 units is at most 3n UTF-8 bytes.
  .refine((line) => line.length * 3 <= MAX_LOG_LINE_BYTES || encoder.encode(line).length <= MAX_LOG_LINE_BYTES, {
    message: `log line longer than ${MAX_LOG_LINE_BYTES} bytes`,
  })
  .describe('One log line without its newline, at most 8 KB of UTF-8');

export const ReportedObject = z
  .object({ key: StorageKey, sha256: Sha256Hex, bytes: ByteCount })
  .describe('Uploaded object as reported by the worker; re-hashed by the control plane before use');

export const JobStartedData = z.object({
  worker_id: WorkerId,
  backend: BackendId,
  gpu: z.string().max(200).nullable().describe('GPU model, null on CPU'),
});

export const JobProgressData = z.object({
  step: StepNumber.describe('Steps completed'),
  total_steps: z.int().min(0).describe('Steps planned'),
  epoch: z.int().min(0).optional().describe('Current epoch'),
  total_epochs: z.int().min(1).optional().describe('Epochs planned'),
  stage: JobStage,
  eta_seconds: z.number().min(0).optional().describe('Estimated seconds left'),
});

export const JobMetricsData = z.object({
  step: StepNumber,
  loss: z.number().optional().describe('Training loss'),
  val_loss: z.number().optional().describe('Validation loss'),
  learning_rate: z.number().min(0).optional().describe('Current learning rate'),
  grad_norm: z.number().min(0).optional().describe('Gradient norm before clipping'),
  throughput: z.number().min(0).optional().describe('Samples per second'),
  tokens_per_second: z.number().min(0).optional().describe('Tokens per second (text)'),
  gpu_util: z.number().min(0).max(100).optional().describe('GPU utilisation, percent'),
  vram_mb: z.number().min(0).optional().describe('GPU memory in use, MiB'),
});

export const JobLogData = z.object({
  stream: z.enum(['stdout', 'stderr', 'worker']).describe('Trainer stdout/stderr, or the worker itself'),
  lines: z.array(LogLine).min(1).max(500).describe('Up to 500 lines per event'),
});

export const JobCheckpointData = z.object({
  step: StepNumber,
  key: StorageKey,
  sha256: Sha256Hex,
  bytes: ByteCount,
});

export const JobSampleData = z.object({
  step: StepNumber,
  key: StorageKey,
  content_type: z.string().min(1).max(255).describe('e.g. image/png or text/plain'),
  prompt: z.string().max(2000).optional().describe('Prompt the sample was made from'),
});

export const JobSucceededData = z.object({
  artifact: ReportedObject.describe('The LoRA weights'),
  files: z
    .array(ReportedObject.extend({ name: z.string().min(1).max(128).describe('File name from outputs.extra_files') }))
    .max(100)
    .describe('Companion files that were uploaded'),
  summary: z
    .record(z.string().max(64), z.union([z.number(), z.string().max(2000), z.boolean(), z.null()]))
    .describe('Final figures (final_loss, steps, …) for display'),
  gpu_seconds: z.number().min(0).describe('GPU time used, for cost accounting (0 on CPU)'),
});

/** Failure codes the reference worker uses; other snake_case codes are allowed. */
export const KNOWN_FAILURE_CODES = [
  'dataset_checksum_mismatch',
  'backend_error',
  'worker_shutdown',
  'deadline_exceeded',
  'upload_failed',
] as const;

export const JobFailedData = z.object({
  code: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,63}$/, 'snake_case code')
    .describe(`Machine-readable cause, e.g. ${KNOWN_FAILURE_CODES.join(', ')}`),
  message: z.string().max(4000).describe('Human-readable cause'),
  retryable: z.boolean().describe('True when another attempt may succeed (e.g. worker_shutdown on SIGTERM)'),
  last_lines: z.array(LogLine).max(200).describe('Tail of the trainer log'),
});

export const JobCanceledData = z.object({
  reason: z.string().max(2000).optional().describe('Why the worker stopped'),
});

export type ReportedObject = z.infer<typeof ReportedObject>;
export type JobStartedData = z.infer<typeof JobStartedData>;
export type JobProgressData = z.infer<typeof JobProgressData>;
export type JobMetricsData = z.infer<typeof JobMetricsData>;
export type JobLogData = z.infer<typeof JobLogData>;
export type JobCheckpointData = z.infer<typeof JobCheckpointData>;
export type JobSampleData = z.infer<typeof JobSampleData>;
export type JobSucceededData = z.infer<typeof JobSucceededData>;
export type JobFailedData = z.infer<typeof JobFailedData>;
export type JobCanceledData = z.infer<typeof JobCanceledData>;

import { z } from 'zod';
import { GPU_COUNTS, GPU_TYPE_IDS, TEXT_PRESET_IDS } from '@/server/catalog/text-presets';
import { JOB_STATUSES, PROVIDERS } from '@/server/db/schema/index.ts';
import { CONSENT_STATEMENT_VERSIONS } from './consent.ts';

const Id = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{1,64}$`), `expected a ${what} id (${prefix}_…)`);

export const ConsentInput = z
  .object({
    accepted: z.literal(true, { message: 'consent must be given explicitly (accepted: true)' }).describe('Must be true.'),
    statement_version: z.enum(CONSENT_STATEMENT_VERSIONS).describe('Version of the consent statement shown to the person.'),
    statement: z
      .string()
      .max(500)
      .describe('The exact statement the person agreed to, e.g. "I have the rights to these images and consent to training on them".'),
  })
  .describe('Explicit consent to train on the dataset; recorded with user, time, IP and user agent.');

export const CreateJobInput = z.object({
  model_id: Id('lm', 'LoRA').describe('The LoRA to train a new version of.'),
  dataset_id: Id('ds', 'dataset').describe('A validated (ready, not blocked) dataset of that LoRA.'),
  base_model: z.string().min(1).max(100).describe('Trainable base model id from the catalog (e.g. flux-dev). Never a target platform.'),
  target_platform: z.string().min(1).max(100).optional().describe('Optional target platform id, stored for prompts and export.'),
  params: z.record(z.string(), z.unknown()).default({}).describe('Overrides on the base model preset (steps or epochs, learning_rate, rank, alpha, …).'),
  consent: ConsentInput,
  provider: z.enum(PROVIDERS).optional().describe('Where to train: worker_pool (default), webhook_worker or replicate.'),
  preset: z.enum(TEXT_PRESET_IDS).optional().describe('Text bases only: conservative, balanced or aggressive; replaces the base preset before `params` overrides.'),
  gpu_type: z.enum(GPU_TYPE_IDS).optional().describe('Text bases only: GPU class the estimate is for (default a100_80gb).'),
  gpu_count: z.literal(GPU_COUNTS).optional().describe('Text bases only: GPUs, 1, 2, 4 or 8 (default 1).'),
});
export type CreateJobInput = z.infer<typeof CreateJobInput>;

export const ListJobsQuery = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  model_id: Id('lm', 'LoRA').optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional().describe('The next_cursor of the previous page.'),
});
export type ListJobsQuery = z.infer<typeof ListJobsQuery>;

export const LogsQuery = z.object({
  after: z.coerce.number().int().min(0).optional().describe('Return log events after this event id (next_after of the previous page).'),
  limit: z.coerce.number().int().min(1).max(500).default(100).describe('Log events (not lines) per page.'),
});
export type LogsQuery = z.infer<typeof LogsQuery>;

export const ParamProblem = z.object({ path: z.string().describe('Field, e.g. learning_rate.'), message: z.string() });

export const TextEstimate = z
  .object({
    base_model: z.string(),
    preset: z.enum(TEXT_PRESET_IDS).nullable(),
    params: z.record(z.string(), z.unknown()).describe('The resolved params the estimate is for (preset + overrides).'),
    tokens_per_epoch: z.number().int().describe('Train-split tokens (content + chat template) per pass.'),
    epochs: z.number().describe('Passes over the train split (fractional when the job sets steps).'),
    total_tokens: z.number().int(),
    optimizer_steps: z.number().int().nullable().describe('Known when the conversation count is known.'),
    tokens_per_second: z.number().int().describe('All GPUs together, after multi-GPU scaling.'),
    duration_seconds: z.number().int().describe('Training time plus the billed start-up overhead.'),
    compute_usd: z.number(),
    storage_usd: z.number(),
    total_usd: z.number(),
    gpu: z.object({ type: z.enum(GPU_TYPE_IDS), label: z.string(), count: z.literal(GPU_COUNTS), usd_per_hour: z.number().describe('Per GPU.'), vram_gb: z.number() }),
    memory: z
      .object({ required_gb: z.number(), available_gb: z.number(), fits: z.boolean(), micro_batch: z.number().int(), sequence_length: z.number().int() })
      .nullable()
      .describe('Per-GPU memory check; null when the base has no architecture figures.'),
    adapter_bytes: z.number().int().nullable(),
    dataset_bytes: z.number().int(),
    token_count_method: z.enum(['full', 'sample-extrapolated', 'caller-supplied']),
    assumptions: z.array(z.string()).describe('The planning figures used, as sentences.'),
    warnings: z.array(ParamProblem).describe('Extreme-but-allowed settings and memory problems.'),
  })
  .describe('Cost and duration estimate of a text LoRA run: planning figures, not a quote.');
export type TextEstimate = z.infer<typeof TextEstimate>;

export const EstimateJobInput = z
  .object({
    base_model: z.string().min(1).max(100).describe('A text base model id from the catalog.'),
    dataset_id: Id('ds', 'dataset').optional().describe('A ready text dataset: its quality report gives the train-split tokens.'),
    tokens: z.int().min(1).max(100_000_000_000).optional().describe('Train tokens per epoch, when there is no dataset yet.'),
    preset: z.enum(TEXT_PRESET_IDS).optional().describe('Preset the params start from (default: the base model preset).'),
    params: z.record(z.string(), z.unknown()).default({}).describe('Overrides on the preset.'),
    gpu_type: z.enum(GPU_TYPE_IDS),
    gpu_count: z.literal(GPU_COUNTS),
  })
  .refine((v) => (v.dataset_id === undefined) !== (v.tokens === undefined), { message: 'send exactly one of dataset_id or tokens', path: ['dataset_id'] });
export type EstimateJobInput = z.infer<typeof EstimateJobInput>;

const JobError = z.object({ code: z.string(), message: z.string(), last_lines: z.array(z.string()).optional() });

export const JobView = z.object({
  id: z.string(),
  status: z.enum(JOB_STATUSES),
  stage: z.string(),
  progress: z.number().describe('0…1'),
  step: z.number().nullable(),
  total_steps: z.number().nullable(),
  attempt: z.number(),
  max_attempts: z.number(),
  provider: z.enum(PROVIDERS),
  backend: z.string().nullable(),
  model_id: z.string(),
  version_id: z.string(),
  version_number: z.number(),
  dataset_id: z.string(),
  base_model: z.string(),
  target_platform: z.string().nullable(),
  error: JobError.nullable(),
  gpu_seconds: z.number().nullable(),
  cost_actual_usd: z.string().nullable(),
  cost_estimate_usd: z.string().nullable().describe('Estimated total (text LoRAs), stored at creation.'),
  estimate: TextEstimate.nullable().describe('The estimate stored at creation (text LoRAs with token statistics).'),
  gpu: z.object({ type: z.enum(GPU_TYPE_IDS), count: z.literal(GPU_COUNTS) }).nullable().describe('GPU chosen at creation (text LoRAs).'),
  cost_so_far_usd: z.number().nullable().describe('Billed time of the current attempt so far × the chosen GPU price; 0 on cpu-reference.'),
  cost_basis: z.string().nullable().describe('How cost_so_far_usd was computed.'),
  deadline_at: z.string().nullable(),
  created_at: z.string(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  updated_at: z.string(),
});
export type JobView = z.infer<typeof JobView>;
export const JobList = z.object({ data: z.array(JobView), next_cursor: z.string().nullable() });

export const VersionSummary = z.object({
  id: z.string(),
  number: z.number(),
  status: z.enum(['pending', 'training', 'ready', 'failed']),
  params: z.record(z.string(), z.unknown()),
  checksum: z.string().nullable(),
  artifact_bytes: z.number().nullable(),
  artifact_format: z.string().nullable(),
  artifact_meta: z.record(z.string(), z.unknown()).nullable(),
  artifact_files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number() })),
  preview_images: z.array(z.object({ key: z.string(), step: z.number(), prompt: z.string().optional() })),
  metrics_summary: z.record(z.string(), z.unknown()).nullable(),
  failure_reason: z.string().nullable(),
});

export const JobDetail = JobView.extend({
  version: VersionSummary,
  latest: z.object({
    progress: z.record(z.string(), z.unknown()).nullable().describe('Payload of the latest progress event.'),
    metrics: z.record(z.string(), z.unknown()).nullable().describe('Payload of the latest metrics event.'),
  }),
});
export type JobDetail = z.infer<typeof JobDetail>;

export const CreatedJob = JobDetail.extend({ idempotent_replay: z.boolean().describe('True when the Idempotency-Key matched an existing job.') });

export const LogLine = z.object({ event_id: z.number(), attempt: z.number(), stream: z.string(), line: z.string(), at: z.string() });
export const LogsPage = z.object({ data: z.array(LogLine), next_after: z.number().nullable() });

export const JobSample = z.object({
  event_id: z.number().describe('The sample event id (grows with time).'),
  attempt: z.number().describe('Attempt that rendered it.'),
  step: z.number().describe('Training step the sample was rendered at.'),
  prompt: z.string().nullable().describe('Prompt or description the worker gave.'),
  content_type: z.string().describe('image/png for image LoRAs, text/plain for text LoRAs.'),
  url: z.string().describe('Signed GET URL; short-lived, ask again after expires_at.'),
  expires_at: z.string().describe('When the URL stops working.'),
});
export const JobSamples = z.object({ data: z.array(JobSample).describe('Samples of every attempt, oldest first.') });
export type JobSamples = z.infer<typeof JobSamples>;

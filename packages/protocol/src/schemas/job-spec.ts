import { z } from 'zod';
import {
  Attempt,
  BackendId,
  BaseFamily,
  HttpUrl,
  IsoDateTime,
  JobId,
  Modality,
  ModelKind,
  PROTOCOL_VERSION,
  Sha256Hex,
  UploadSlot,
} from './common.ts';
import { TrainingParams } from './params.ts';

// A bare file name: no directories, no '.'/'..', so a worker can write it into its output
// folder without any path handling.
export const OutputFileName = z
  .string()
  .regex(/^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/, 'a plain file name (letters, digits, . _ -)')
  .describe('Output file name, e.g. adapter_config.json');

export const BaseModelRef = z
  .object({
    id: z.string().min(1).max(200).describe('Catalog id of the base model'),
    family: BaseFamily,
    revision: z.string().min(1).max(200).describe('Pinned revision (commit or tag)'),
    hf_repo: z.string().min(1).max(200).optional().describe('Hugging Face repo, when the backend downloads it'),
  })
  .describe('Base model the LoRA is trained against');

export const DatasetRef = z
  .object({
    url: HttpUrl.describe('Presigned GET URL of the dataset archive'),
    sha256: Sha256Hex.describe('Digest the worker must verify before training'),
    bytes: z.int().positive().describe('Exact size of the archive'),
    format: z.enum(['images-zip', 'jsonl']).describe('Archive format'),
    count: z.int().positive().describe('Images or conversations in the dataset'),
  })
  .describe('Training data');

export const JobOutputs = z
  .object({
    artifact: UploadSlot.describe('Where the trained LoRA weights go'),
    extra_files: z
      .record(OutputFileName, UploadSlot)
      .describe('Companion files by name (adapter_config.json, tokenizer files…)'),
    samples: z.array(UploadSlot).max(1000).describe('Slots for sample images/texts, used in order'),
    checkpoints: z.array(UploadSlot).max(1000).describe('Slots for intermediate checkpoints, used in order'),
    logs: UploadSlot.describe('Where the full log goes at the end'),
  })
  .describe('Presigned upload targets');

export const JobLease = z
  .object({
    expires_at: IsoDateTime.describe('Lease end unless extended by a heartbeat'),
    heartbeat_interval_seconds: z.int().min(1).max(3600).describe('How often to heartbeat'),
  })
  .describe('Pull-mode lease');

/** Everything a worker needs to run one attempt of a job (control plane → worker). */
export const JobSpec = z
  .object({
    protocol: z.literal(PROTOCOL_VERSION).describe('Protocol version'),
    job_id: JobId,
    attempt: Attempt,
    modality: Modality,
    kind: ModelKind,
    backend: BackendId.optional().describe('Backend to use; absent = the worker picks'),
    base_model: BaseModelRef,
    params: TrainingParams,
    trigger_word: z.string().min(1).max(100).nullable().describe('Token that invokes the LoRA, if any'),
    model_name: z.string().min(1).max(200).describe('Human name of the LoRA model'),
    dataset: DatasetRef,
    outputs: JobOutputs,
    callback: z
      .object({
        events_url: HttpUrl.describe('Where signed events are POSTed'),
        heartbeat_url: HttpUrl.optional().describe('Pull mode: where heartbeats are POSTed'),
      })
      .describe('Control-plane endpoints'),
    lease: JobLease.nullable().describe('Pull mode lease; null in push mode'),
    deadline: IsoDateTime.describe('Hard stop; the worker fails the job with deadline_exceeded after it'),
    created_at: IsoDateTime.describe('When this spec was issued'),
  })
  .describe('Job spec, protocol v1');
export type JobSpec = z.infer<typeof JobSpec>;
export type BaseModelRef = z.infer<typeof BaseModelRef>;
export type DatasetRef = z.infer<typeof DatasetRef>;
export type JobOutputs = z.infer<typeof JobOutputs>;


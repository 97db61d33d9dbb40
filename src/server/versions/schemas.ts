import { z } from 'zod';
import { VERSION_STATUSES } from '@/server/db/schema/index.ts';

const Id = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{1,64}$`), `expected a ${what} id (${prefix}_…)`);
export const VersionId = Id('ver', 'version');

export const ListVersionsQuery = z.object({
  model_id: Id('lm', 'LoRA').describe('The LoRA whose versions to list.'),
  status: z.enum(VERSION_STATUSES).optional().describe('Only versions in this status.'),
});
export type ListVersionsQuery = z.infer<typeof ListVersionsQuery>;

export const VersionFile = z
  .object({
    name: z.string().describe('File name; pass it as ?file= to the download route.'),
    bytes: z.number().nullable(),
    sha256: z.string().nullable().describe('sha256 re-computed by the control plane.'),
    download_url: z.string().describe('GET this (signed in) to download the file: a redirect to a short-lived signed URL.'),
  })
  .describe('One downloadable file of a ready version.');

export const CONVERGENCE_LABELS = ['converged', 'still improving', 'plateaued early', 'overfitting', 'diverged', 'unknown'] as const;

export const VersionQuality = z
  .object({
    final_train_loss: z.number().nullable(),
    final_val_loss: z.number().nullable(),
    perplexity: z
      .object({ value: z.number(), source: z.enum(['val', 'train']).describe('Which loss it is exp() of.') })
      .nullable()
      .describe('exp(final validation loss), or of the final training loss when there is no validation loss.'),
    convergence: z.object({ label: z.enum(CONVERGENCE_LABELS), reason: z.string() }).describe('How the loss curve ended, with the rule that decided it.'),
  })
  .describe('Quality figures of a text LoRA run (null for image versions and unfinished runs).');

export const VersionServing = z
  .object({
    adapter_name: z.string().describe('Lowercase [a-z0-9-] name the adapter is served under, e.g. support-bot-v1.'),
    vllm: z.string().describe('Shell snippet: vllm serve with --enable-lora --lora-modules, then a chat completion naming the adapter.'),
    lorax: z.string().describe('Shell snippet: the LoRAX container, then /generate with adapter_source "local".'),
    warning: z.string().nullable().describe('Set when the weights cannot be served on the real base model (cpu-reference stand-in).'),
  })
  .describe('Ready-to-paste serving instructions for a ready text LoRA.');

export const VersionLineage = z
  .object({
    dataset_id: z.string(),
    dataset_hash: z.string(),
    job_id: z.string().nullable(),
    base_model: z.string().describe('Catalog id of the base model.'),
    base_model_hf_repo: z.string().nullable(),
    params: z.record(z.string(), z.unknown()),
    backend: z.string().nullable().describe('Trainer backend that ran the final attempt (cpu-reference, axolotl, …).'),
    attempt: z.number().int().nullable().describe('The job attempt that produced the weights.'),
  })
  .describe('Where a version came from: dataset, job, base model and parameters.');

export const VersionView = z
  .object({
    id: z.string(),
    model_id: z.string(),
    number: z.number().int().describe('1, 2, 3… per LoRA.'),
    status: z.enum(VERSION_STATUSES),
    base_model: z
      .object({
        id: z.string(),
        name: z.string(),
        family: z.string(),
        lora_weight: z.object({ min: z.number(), max: z.number(), default: z.number() }).nullable().describe('Weight range for activation; null for LLM adapters.'),
      })
      .describe('The trainable base model it was trained on.'),
    target_platform: z.string().nullable(),
    params: z.record(z.string(), z.unknown()).describe('Training parameters as resolved for the job.'),
    dataset_id: z.string(),
    dataset_hash: z.string().describe('sha256 over the sorted item hashes of the dataset it was trained on.'),
    checksum: z.string().nullable().describe('sha256 of the artifact, re-computed by the control plane.'),
    artifact_bytes: z.number().nullable(),
    artifact_format: z.string().nullable().describe('kohya | peft | diffusers.'),
    artifact_meta: z.record(z.string(), z.unknown()).nullable().describe('Rank, alpha, tensor count, key format, base model from the file.'),
    artifact_files: z.array(z.object({ name: z.string(), sha256: z.string(), bytes: z.number() })).describe('Extra files (PEFT config, tokenizer).'),
    metrics: z.record(z.string(), z.unknown()).nullable().describe('Summary of the run: final loss, steps, GPU seconds, cost.'),
    failure_reason: z.string().nullable(),
    active: z.boolean().describe("True when this is the caller's active identity."),
    created_at: z.string(),
    modality: z.enum(['image', 'text']).describe("The base model's modality."),
    files: z.array(VersionFile).describe('Every downloadable file, weights first; empty until the version is ready.'),
    quality: VersionQuality.nullable(),
    serving: VersionServing.nullable(),
    lineage: VersionLineage,
  })
  .describe('One trained version of a LoRA.');
export type VersionView = z.infer<typeof VersionView>;

export const VersionList = z.object({ data: z.array(VersionView) });

export const DownloadInput = z
  .object({
    file: z.string().min(1).max(200).optional().describe('A file by name (files[].name); the main weights when omitted.'),
  })
  .describe('Which file of the version to download.');
export type DownloadInput = z.infer<typeof DownloadInput>;

export const DownloadQuery = z
  .object({
    file: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('A file by name (files[].name) → 302 to a short-lived signed URL; "all" → a zip of every file plus README.txt; the weights when omitted.'),
  })
  .describe('GET download: one file or all of them.');
export type DownloadQuery = z.infer<typeof DownloadQuery>;

export const DownloadLink = z
  .object({
    url: z.string().describe('Short-lived signed GET URL.'),
    expires_at: z.string(),
    filename: z.string(),
    bytes: z.number().nullable(),
    sha256: z.string().nullable(),
  })
  .describe('A signed download link; the request is audited as artifact.download.');
export type DownloadLink = z.infer<typeof DownloadLink>;

export const DeletedVersion = z.object({
  id: z.string(),
  deleted: z.literal(true),
  purged: z.boolean().describe('False when storage was unavailable; the objects are purged later.'),
  deactivated: z.boolean().describe('True when it was the active identity of someone in the workspace.'),
});

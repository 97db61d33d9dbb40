import { z } from 'zod';
import { VERSION_STATUSES } from '@/server/db/schema/index.ts';

const Id = (prefix: string, what: string) => z.string().regex(new RegExp(`^${prefix}_[a-z2-7]{1,64}$`), `expected a ${what} id (${prefix}_…)`);
export const VersionId = Id('ver', 'version');

export const ListVersionsQuery = z.object({
  model_id: Id('lm', 'LoRA').describe('The LoRA whose versions to list.'),
  status: z.enum(VERSION_STATUSES).optional().describe('Only versions in this status.'),
});
export type ListVersionsQuery = z.infer<typeof ListVersionsQuery>;

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
  })
  .describe('One trained version of a LoRA.');
export type VersionView = z.infer<typeof VersionView>;

export const VersionList = z.object({ data: z.array(VersionView) });

export const DownloadInput = z
  .object({
    file: z.string().min(1).max(200).optional().describe('An extra file by name (artifact_files[].name); the main weights when omitted.'),
  })
  .describe('Which file of the version to download.');
export type DownloadInput = z.infer<typeof DownloadInput>;

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

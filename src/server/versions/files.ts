// The downloadable files of a version: the weights the control plane verified, then every
// companion file the worker reported and verification re-hashed (artifact_files). Names are
// the only handle clients get; keys never leave the server, and a name that is not in this
// list is "not found" — no path is ever built from what a client sends.
import type { BaseModel, LoraModel, LoraVersion } from '@/server/db/schema/index.ts';
import { artifactStem } from './internal.ts';
import { adapterName } from './serving.ts';

export interface StoredFile {
  name: string;
  key: string;
  bytes: number | null;
  sha256: string | null;
}

/** PEFT loaders look for exactly this name; image LoRAs keep `{model}-v{n}.safetensors` (the `<lora:…>` tag's name). */
export const PEFT_WEIGHTS = 'adapter_model.safetensors';
const PEFT_CONFIG = 'adapter_config.json';

export function isText(base: Pick<BaseModel, 'modality'>): boolean {
  return base.modality === 'text';
}

/** Where the files go when downloaded together: `support-bot-v1/…` for text, `{model}-v{n}/…` for image. */
export function folderName(model: Pick<LoraModel, 'name'>, v: Pick<LoraVersion, 'number'>, base: Pick<BaseModel, 'modality'>): string {
  return isText(base) ? adapterName(model.name, v.number) : artifactStem(model.name, v.number);
}

/** Weights first, then adapter_config.json, then the other companions in the order they were reported. Empty until ready. */
export function versionFiles(v: LoraVersion, model: Pick<LoraModel, 'name'>, base: Pick<BaseModel, 'modality'>): StoredFile[] {
  if (v.status !== 'ready' || !v.artifactKey) return [];
  const weights: StoredFile = {
    name: isText(base) ? PEFT_WEIGHTS : `${artifactStem(model.name, v.number)}.safetensors`,
    key: v.artifactKey,
    bytes: v.artifactBytes,
    sha256: v.checksum,
  };
  const extras = (v.artifactFiles ?? [])
    .filter((f) => f.name !== weights.name)
    .map((f) => ({ name: f.name, key: f.key, bytes: f.bytes, sha256: f.sha256 }))
    .sort((a, b) => Number(b.name === PEFT_CONFIG) - Number(a.name === PEFT_CONFIG));
  return [weights, ...extras];
}

export const fileDownloadUrl = (versionId: string, name: string) => `/api/lora/versions/${versionId}/download?file=${encodeURIComponent(name)}`;

// The only place storage keys are built (STYLE §10). Everything lives under
// `ws/<workspaceId>/`, so a workspace's data is one prefix, and everything derived from
// a model's face photos (packs) sits under that model, so purging is a prefix delete.
//
//   ws/{ws}/datasets/{ds}/uploads/{upl}-{name}      raw uploads (browser → storage)
//   ws/{ws}/datasets/{ds}/normalized/{dsi}.{ext}    EXIF/GPS-stripped copies
//   ws/{ws}/datasets/{ds}/thumbs/{dsi}.webp         thumbnails
//   ws/{ws}/datasets/{ds}/archive/{ds}.zip          training archive built on commit
//   ws/{ws}/datasets/{ds}/text/conversations.jsonl  text dataset as committed
//   ws/{ws}/datasets/{ds}/text/train.jsonl          normalized training JSONL
//   ws/{ws}/models/{lm}/versions/{ver}/{file}       version artifacts
//   ws/{ws}/models/{lm}/packs/{ver}/{platform}.zip  character packs
//   ws/{ws}/models/{lm}/versions/{ver}/verified/{seal}/{file}   sealed: what verification accepted
//   ws/{ws}/jobs/{job}/{attempt}/{samples|checkpoints|logs}/{file}
//   ws/{ws}/jobs/{job}/{attempt}/verified/{seal}/worker.log        sealed: the log of a finished attempt
//
// Sealed keys (a `verified` segment, key-rules.ts) are never signed for upload by any driver.
import { NotFoundError, ValidationError } from '@/server/errors';
import { assertValidKey, isValidKey, sanitizeFilename } from './key-rules.ts';

export { assertValidKey, assertValidPrefix, isSealedKey, isValidKey, sanitizeFilename } from './key-rules.ts';

const ID = /^[A-Za-z0-9_]{1,64}$/;
const EXT = /^[a-z0-9]{1,10}$/;

function id(value: string, what: string): string {
  if (!ID.test(value)) throw new ValidationError(`Invalid ${what} id for a storage key.`);
  return value;
}

function ext(value: string): string {
  const e = value.replace(/^\./, '').toLowerCase();
  if (!EXT.test(e)) throw new ValidationError('Invalid file extension for a storage key.');
  return e;
}

function built(key: string): string {
  assertValidKey(key); // a builder bug must fail loudly, not write somewhere odd
  return key;
}

export const workspacePrefix = (ws: string) => `ws/${id(ws, 'workspace')}/`;

// ── datasets ────────────────────────────────────────────────────────────────────────
export const datasetPrefix = (ws: string, ds: string) => `${workspacePrefix(ws)}datasets/${id(ds, 'dataset')}/`;

export function datasetUploadKey(p: { workspaceId: string; datasetId: string; uploadId: string; filename: string }): string {
  return built(`${datasetPrefix(p.workspaceId, p.datasetId)}uploads/${id(p.uploadId, 'upload')}-${sanitizeFilename(p.filename)}`);
}

export function datasetNormalizedKey(p: { workspaceId: string; datasetId: string; itemId: string; ext: string }): string {
  return built(`${datasetPrefix(p.workspaceId, p.datasetId)}normalized/${id(p.itemId, 'dataset item')}.${ext(p.ext)}`);
}

export function datasetThumbnailKey(p: { workspaceId: string; datasetId: string; itemId: string }): string {
  return built(`${datasetPrefix(p.workspaceId, p.datasetId)}thumbs/${id(p.itemId, 'dataset item')}.webp`);
}

/** `revision` makes each built archive its own object, so a failed commit never clobbers the last good one. */
export function datasetArchiveKey(p: { workspaceId: string; datasetId: string; revision?: string }): string {
  const rev = p.revision ? `-${id(p.revision, 'revision')}` : '';
  return built(`${datasetPrefix(p.workspaceId, p.datasetId)}archive/${p.datasetId}${rev}.zip`);
}

export function textDatasetFileKey(p: { workspaceId: string; datasetId: string }): string {
  return built(`${datasetPrefix(p.workspaceId, p.datasetId)}text/conversations.jsonl`);
}

export function textTrainingJsonlKey(p: { workspaceId: string; datasetId: string }): string {
  return built(`${datasetPrefix(p.workspaceId, p.datasetId)}text/train.jsonl`);
}

// ── models, versions, packs ─────────────────────────────────────────────────────────
export const modelPrefix = (ws: string, lm: string) => `${workspacePrefix(ws)}models/${id(lm, 'model')}/`;

export function versionPrefix(p: { workspaceId: string; modelId: string; versionId: string }): string {
  return `${modelPrefix(p.workspaceId, p.modelId)}versions/${id(p.versionId, 'version')}/`;
}

/** `file` is a flat name (`adapter_model.safetensors`, `tokenizer.json`…), sanitised. */
export function versionArtifactKey(p: { workspaceId: string; modelId: string; versionId: string; file: string }): string {
  return built(`${versionPrefix(p)}${sanitizeFilename(p.file)}`);
}

/**
 * Where verification puts its own copy of a version file. `seal` is one verification run's
 * id, so two verifiers racing on the same report never write the same object.
 */
export function sealedVersionFileKey(p: { workspaceId: string; modelId: string; versionId: string; seal: string; file: string }): string {
  return built(`${versionPrefix(p)}verified/${id(p.seal, 'seal')}/${sanitizeFilename(p.file)}`);
}

export function characterPackKey(p: { workspaceId: string; modelId: string; versionId: string; platform: string }): string {
  return built(`${modelPrefix(p.workspaceId, p.modelId)}packs/${id(p.versionId, 'version')}/${sanitizeFilename(p.platform)}.zip`);
}

// ── jobs ────────────────────────────────────────────────────────────────────────────
export const jobPrefix = (ws: string, job: string) => `${workspacePrefix(ws)}jobs/${id(job, 'job')}/`;

export type JobOutputKind = 'samples' | 'checkpoints' | 'logs';

export function jobOutputKey(p: { workspaceId: string; jobId: string; attempt: number; kind: JobOutputKind; file: string }): string {
  if (!Number.isInteger(p.attempt) || p.attempt < 0) throw new ValidationError('Invalid job attempt for a storage key.');
  return built(`${jobPrefix(p.workspaceId, p.jobId)}${p.attempt}/${p.kind}/${sanitizeFilename(p.file)}`);
}

export const jobSampleKey = (p: Omit<Parameters<typeof jobOutputKey>[0], 'kind'>) => jobOutputKey({ ...p, kind: 'samples' });
export const jobCheckpointKey = (p: Omit<Parameters<typeof jobOutputKey>[0], 'kind'>) => jobOutputKey({ ...p, kind: 'checkpoints' });
export const jobLogKey = (p: Omit<Parameters<typeof jobOutputKey>[0], 'kind' | 'file'> & { file?: string }) =>
  jobOutputKey({ ...p, kind: 'logs', file: p.file ?? 'worker.log' });

/** The copy of a finished attempt's log that the job keeps (jobs/finalize). */
export function sealedJobLogKey(p: { workspaceId: string; jobId: string; attempt: number; seal: string }): string {
  if (!Number.isInteger(p.attempt) || p.attempt < 0) throw new ValidationError('Invalid job attempt for a storage key.');
  return built(`${jobPrefix(p.workspaceId, p.jobId)}${p.attempt}/verified/${id(p.seal, 'seal')}/worker.log`);
}

// ── reading keys that come back from clients ────────────────────────────────────────
/**
 * A key sent back by a client (e.g. dataset commit) must be in the caller's workspace;
 * anything else is "not found", never "forbidden" (DESIGN §5).
 */
export function assertKeyInWorkspace(key: string, workspaceId: string): void {
  if (!isValidKey(key) || !ID.test(workspaceId) || !key.startsWith(`ws/${workspaceId}/`)) {
    throw new NotFoundError('Object');
  }
}

export interface DatasetUploadKeyParts {
  workspaceId: string;
  datasetId: string;
  uploadId: string;
  safeName: string;
}

const UPLOAD_KEY = /^ws\/([A-Za-z0-9_]{1,64})\/datasets\/([A-Za-z0-9_]{1,64})\/uploads\/([A-Za-z0-9_]{1,64})-([^/]+)$/;

/** The parts of a dataset upload key, or null when `key` is not one. */
export function parseDatasetUploadKey(key: string): DatasetUploadKeyParts | null {
  if (!isValidKey(key)) return null;
  const m = UPLOAD_KEY.exec(key);
  if (!m) return null;
  const [, workspaceId, datasetId, uploadId, safeName] = m as unknown as [string, string, string, string, string];
  return { workspaceId, datasetId, uploadId, safeName };
}

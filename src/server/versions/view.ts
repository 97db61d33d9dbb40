// A version as the API shows it. Text versions also carry their quality figures and serving
// snippets; every version carries its files and lineage. List and get build it the same way,
// so one version reads identically in both.
import type { BaseModel, LoraModel, LoraVersion } from '@/server/db/schema/index.ts';
import { fileDownloadUrl, isText, versionFiles } from './files.ts';
import type { JobFacts } from './job-facts.ts';
import { computeQuality } from './quality.ts';
import type { VersionView } from './schemas.ts';
import { adapterName, buildServing, type Serving } from './serving.ts';

export interface ViewRow {
  version: LoraVersion;
  model: Pick<LoraModel, 'name'>;
  base: BaseModel;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Versions whose loss curves the view needs: finished text runs. */
export const wantsCurves = (row: { version: Pick<LoraVersion, 'status'>; base: Pick<BaseModel, 'modality'> }) =>
  isText(row.base) && (row.version.status === 'ready' || row.version.status === 'failed');

export function servingFor(row: ViewRow): Serving | null {
  const { version: v, model, base } = row;
  if (!isText(base) || v.status !== 'ready') return null;
  const meta = v.artifactMeta ?? {};
  const baseModel = base.hfRepo ?? base.id;
  const standIn = typeof meta.stand_in === 'object' && meta.stand_in !== null;
  return buildServing({
    adapterName: adapterName(model.name, v.number),
    baseModel,
    rank: num(meta.rank) ?? num(v.paramsJson.rank) ?? 8,
    files: versionFiles(v, model, base).map((f) => f.name),
    warning: standIn
      ? `trained by cpu-reference on its tiny stand-in base (${String(meta.base_model ?? 'lora-studio-tiny-text')}); it exercises the pipeline and will not load into ${baseModel}.`
      : null,
  });
}

export function toVersionView(row: ViewRow, activeVersionId: string | null, job: JobFacts | undefined): VersionView {
  const { version: v, base } = row;
  return {
    id: v.id,
    model_id: v.loraModelId,
    number: v.number,
    status: v.status,
    base_model: { id: base.id, name: base.name, family: base.family, lora_weight: base.loraWeight ?? null },
    target_platform: v.targetPlatform,
    params: v.paramsJson,
    dataset_id: v.datasetId,
    dataset_hash: v.datasetHash,
    checksum: v.checksum,
    artifact_bytes: v.artifactBytes,
    artifact_format: v.artifactFormat,
    artifact_meta: v.artifactMeta ?? null,
    // Storage keys stay server-side; files are fetched through the download route.
    artifact_files: (v.artifactFiles ?? []).map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes })),
    metrics: v.metricsSummary ?? null,
    failure_reason: v.failureReason,
    active: v.id === activeVersionId,
    created_at: v.createdAt.toISOString(),
    modality: base.modality,
    files: versionFiles(v, row.model, base).map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256, download_url: fileDownloadUrl(v.id, f.name) })),
    quality: wantsCurves(row) ? computeQuality({ summary: v.metricsSummary ?? null, train: job?.train ?? [], val: job?.val ?? [] }) : null,
    serving: servingFor(row),
    lineage: {
      dataset_id: v.datasetId,
      dataset_hash: v.datasetHash,
      job_id: job?.jobId ?? null,
      base_model: base.id,
      base_model_hf_repo: base.hfRepo,
      params: v.paramsJson,
      backend: job?.backend ?? null,
      attempt: job?.attempt ?? null,
    },
  };
}

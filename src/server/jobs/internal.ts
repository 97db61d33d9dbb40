import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { jobEvents, loraJobs, loraVersions, type LoraJob, type LoraVersion } from '@/server/db/schema/index.ts';
import { NotFoundError } from '@/server/errors';
import { jobCostView } from './job-cost.ts';
import type { JobDetail, JobView } from './schemas.ts';

export interface JobWithVersion {
  job: LoraJob;
  version: LoraVersion;
}

/** A job of the workspace, with its version, or 404 (another workspace's id is "not found"). */
export async function getJobOrThrow(db: DbOrTx, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<JobWithVersion> {
  const q = db
    .select({ job: loraJobs, version: loraVersions })
    .from(loraJobs)
    .innerJoin(loraVersions, eq(loraVersions.id, loraJobs.loraVersionId))
    .where(and(eq(loraJobs.id, id), eq(loraJobs.workspaceId, workspaceId)));
  const [row] = opts.forUpdate ? await q.for('update', { of: loraJobs }) : await q;
  if (!row) throw new NotFoundError('Job', id);
  return row;
}

/** Any job by id, for system actors (workers, webhooks, the scheduler) — never for users. */
export async function getJobForSystem(db: DbOrTx, id: string, opts: { forUpdate?: boolean } = {}): Promise<JobWithVersion | null> {
  const q = db
    .select({ job: loraJobs, version: loraVersions })
    .from(loraJobs)
    .innerJoin(loraVersions, eq(loraVersions.id, loraJobs.loraVersionId))
    .where(eq(loraJobs.id, id));
  const [row] = opts.forUpdate ? await q.for('update', { of: loraJobs }) : await q;
  return row ?? null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toJobView({ job, version }: JobWithVersion, now: Date = new Date()): JobView {
  return {
    id: job.id,
    status: job.status,
    stage: job.stage,
    progress: job.progress,
    step: job.step,
    total_steps: job.totalSteps,
    attempt: job.attempt,
    max_attempts: job.maxAttempts,
    provider: job.provider,
    backend: job.backend,
    model_id: version.loraModelId,
    version_id: version.id,
    version_number: version.number,
    dataset_id: version.datasetId,
    base_model: version.trainableBaseModel,
    target_platform: version.targetPlatform,
    error: job.error ?? null,
    gpu_seconds: job.gpuSeconds,
    cost_actual_usd: job.costActualUsd,
    ...jobCostView(job, now),
    deadline_at: iso(job.deadlineAt),
    created_at: job.createdAt.toISOString(),
    started_at: iso(job.startedAt),
    finished_at: iso(job.finishedAt),
    updated_at: job.updatedAt.toISOString(),
  };
}

async function latestPayload(db: DbOrTx, jobId: string, type: 'progress' | 'metrics'): Promise<Record<string, unknown> | null> {
  const [row] = await db
    .select({ payload: jobEvents.payload })
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, jobId), eq(jobEvents.type, type)))
    .orderBy(desc(jobEvents.id))
    .limit(1);
  return row?.payload ?? null;
}

export async function toJobDetail(db: DbOrTx, jv: JobWithVersion): Promise<JobDetail> {
  const v = jv.version;
  return {
    ...toJobView(jv),
    version: {
      id: v.id,
      number: v.number,
      status: v.status,
      params: v.paramsJson,
      checksum: v.checksum,
      artifact_bytes: v.artifactBytes,
      artifact_format: v.artifactFormat,
      artifact_meta: v.artifactMeta ?? null,
      artifact_files: (v.artifactFiles ?? []).map((f) => ({ name: f.name, sha256: f.sha256, bytes: f.bytes })),
      preview_images: v.previewImagesJson ?? [],
      metrics_summary: v.metricsSummary ?? null,
      failure_reason: v.failureReason,
    },
    latest: { progress: await latestPayload(db, jv.job.id, 'progress'), metrics: await latestPayload(db, jv.job.id, 'metrics') },
  };
}

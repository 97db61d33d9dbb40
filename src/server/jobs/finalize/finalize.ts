// job.succeeded → verified version, or a failed one. Verification streams the artifact, so
// it runs OUTSIDE any transaction; the outcome is then applied under the job's row lock and
// only if the job is still this attempt, still waiting in stage `verifying` (a concurrent
// verifier — webhook retry, scheduler — finds it settled and does nothing). A crash between
// the two leaves stage `verifying`, which the scheduler picks up again.
import type { BaseFamily, JobStatus, JobSucceededData, TrainingParams } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { baseModels, loraDatasets, loraModels, loraVersions } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { getJobForSystem } from '../internal.ts';
import { failJob, notifyJob } from '../outcomes.ts';
import { transitionJob } from '../transition.ts';
import { recordComputeCost } from './cost.ts';
import { verifyArtifact, type Rejected, type Verified } from './verify.ts';

const WAITING: ReadonlySet<JobStatus> = new Set(['dispatched', 'running', 'cancel_requested']);

export async function settleVerification(ctx: ServiceContext, p: { jobId: string; attempt: number; report: JobSucceededData; result: Verified | Rejected; now?: Date }): Promise<JobStatus> {
  const now = p.now ?? new Date();
  return ctx.db.transaction(async (db) => {
    const jv = await getJobForSystem(db, p.jobId, { forUpdate: true });
    if (!jv) return 'failed';
    const { job } = jv;
    if (job.attempt !== p.attempt || !WAITING.has(job.status) || job.stage !== 'verifying') return job.status;
    if (!p.result.ok) {
      ctx.log.warn({ jobId: job.id, code: p.result.code }, p.result.message);
      return (await failJob(db, job, { code: p.result.code, message: p.result.message }, { now })).status;
    }
    const r = p.result;
    const usd = await recordComputeCost(db, job, p.report.gpu_seconds);
    const done = await transitionJob(db, job, {
      to: 'succeeded',
      now,
      patch: { stage: 'done', progress: 1, gpuSeconds: p.report.gpu_seconds, costActualUsd: usd, error: null },
      detail: { checksum: r.checksum, artifact_bytes: r.bytes, artifact_format: r.format, rank: r.meta.rank ?? null },
    });
    const [version] = await db
      .update(loraVersions)
      .set({
        status: 'ready',
        artifactKey: p.report.artifact.key,
        checksum: r.checksum,
        artifactBytes: r.bytes,
        artifactFormat: r.format,
        artifactMeta: r.meta,
        artifactFiles: r.files,
        metricsSummary: { ...p.report.summary, gpu_seconds: p.report.gpu_seconds, cost_usd: Number(usd) },
        failureReason: null,
        updatedAt: now,
      })
      .where(eq(loraVersions.id, job.loraVersionId))
      .returning();
    const [model] = await db.select({ name: loraModels.name }).from(loraModels).where(eq(loraModels.id, version!.loraModelId));
    await notifyJob(db, done, { kind: 'job.succeeded', title: 'Training finished', body: `${model?.name ?? 'Your LoRA'} v${version!.number} is ready (${r.format}, rank ${r.meta.rank ?? '?'}).` });
    return done.status;
  });
}

/** Verify the reported artifact and settle the job. Storage trouble leaves it for a retry. */
export async function finalizeSucceeded(ctx: ServiceContext, p: { jobId: string; attempt: number; report: JobSucceededData; source: 'worker' | 'replicate' }): Promise<JobStatus> {
  const jv = await getJobForSystem(ctx.db, p.jobId);
  if (!jv) return 'failed';
  const [ctxRow] = await ctx.db
    .select({ modality: loraDatasets.modality, family: baseModels.family, baseId: baseModels.id, hfRepo: baseModels.hfRepo })
    .from(loraDatasets)
    .innerJoin(baseModels, eq(baseModels.id, jv.version.trainableBaseModel))
    .where(eq(loraDatasets.id, jv.version.datasetId));
  let result: Verified | Rejected;
  try {
    result = await verifyArtifact({
      report: p.report,
      family: ctxRow!.family as BaseFamily,
      backend: jv.job.backend,
      modality: ctxRow!.modality,
      request: { params: jv.version.paramsJson as TrainingParams, base: { id: ctxRow!.baseId, hfRepo: ctxRow!.hfRepo } },
    });
  } catch (err) {
    ctx.log.error({ err, jobId: p.jobId }, 'artifact verification could not run; the scheduler will retry it');
    return jv.job.status;
  }
  return settleVerification(ctx, { jobId: p.jobId, attempt: p.attempt, report: p.report, result });
}

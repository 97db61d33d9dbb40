// job.succeeded → verified version, or a failed one. Verification streams the artifact, so
// it runs OUTSIDE any transaction; the outcome is then applied under the job's row lock and
// only if the job is still this attempt, still waiting in stage `verifying` (a concurrent
// verifier — webhook retry, scheduler — finds it settled and does nothing). A crash between
// the two leaves stage `verifying`, which the scheduler picks up again.
import { storableJson, type BaseFamily, type JobStatus, type JobSucceededData, type TrainingParams } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { baseModels, loraDatasets, loraModels, loraVersions } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { getJobForSystem } from '../internal.ts';
import { failJob, notifyJob } from '../outcomes.ts';
import { outputKeysFor } from '../spec.ts';
import { transitionJob } from '../transition.ts';
import { recordComputeCost } from './cost.ts';
import { closeSlots, discardCopies, sealOutputs } from './seal.ts';
import { verifyArtifact, type Rejected, type Verified } from './verify.ts';

const WAITING: ReadonlySet<JobStatus> = new Set(['dispatched', 'running', 'cancel_requested']);

interface Settle {
  jobId: string;
  attempt: number;
  /** For a verified result: the SEALED report (seal.ts) — its keys are what the version records. */
  report: JobSucceededData;
  result: Verified | Rejected;
  /** The sealed copy of the attempt's log, kept on the job. */
  logsKey?: string | null;
  now?: Date;
}

export async function settleVerification(ctx: ServiceContext, p: Settle): Promise<JobStatus> {
  return (await applyVerification(ctx, p)).status;
}

/** `applied`: this call's result became the job's outcome (not one a concurrent verifier applied). */
async function applyVerification(ctx: ServiceContext, settle: Settle): Promise<{ status: JobStatus; applied: boolean }> {
  // The result quotes the artifact's own text (safetensors metadata, tensor names, config
  // values): stored with NUL and unpaired surrogates replaced, which Postgres cannot hold.
  const p: Settle = { ...settle, result: storableJson(settle.result) };
  const now = p.now ?? new Date();
  return ctx.db.transaction(async (db) => {
    const jv = await getJobForSystem(db, p.jobId, { forUpdate: true });
    if (!jv) return { status: 'failed', applied: false };
    const { job } = jv;
    if (job.attempt !== p.attempt || !WAITING.has(job.status) || job.stage !== 'verifying') return { status: job.status, applied: false };
    if (!p.result.ok) {
      ctx.log.warn({ jobId: job.id, code: p.result.code }, p.result.message);
      return { status: (await failJob(db, job, { code: p.result.code, message: p.result.message }, { now })).status, applied: true };
    }
    const r = p.result;
    const usd = await recordComputeCost(db, job, p.report.gpu_seconds);
    const done = await transitionJob(db, job, {
      to: 'succeeded',
      now,
      patch: { stage: 'done', progress: 1, gpuSeconds: p.report.gpu_seconds, costActualUsd: usd, error: null, ...(p.logsKey ? { logsKey: p.logsKey } : {}) },
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
    return { status: done.status, applied: true };
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
  const keys = outputKeysFor(jv, ctxRow!.modality, p.attempt);
  const copies: string[] = [];
  let settle: Settle;
  try {
    const sealed = await sealOutputs(jv, p.attempt, p.report, p.source === 'worker' ? keys.logs : null, copies);
    if (!sealed.ok) {
      settle = { jobId: p.jobId, attempt: p.attempt, report: p.report, result: sealed };
    } else {
      const result = await verifyArtifact({
        report: sealed.report,
        family: ctxRow!.family as BaseFamily,
        backend: jv.job.backend,
        modality: ctxRow!.modality,
        request: { params: jv.version.paramsJson as TrainingParams, base: { id: ctxRow!.baseId, hfRepo: ctxRow!.hfRepo } },
      });
      settle = { jobId: p.jobId, attempt: p.attempt, report: sealed.report, result, logsKey: sealed.logsKey };
    }
  } catch (err) {
    await discardCopies(ctx, copies);
    ctx.log.error({ err, jobId: p.jobId }, 'artifact verification could not run; the scheduler will retry it');
    return jv.job.status;
  }
  const { status, applied } = await applyVerification(ctx, settle);
  if (applied && settle.result.ok) {
    await closeSlots(ctx, keys, [p.report.artifact.key, ...p.report.files.map((f) => f.key), ...(settle.logsKey ? [keys.logs] : [])]);
  } else {
    await discardCopies(ctx, copies);
  }
  return status;
}

import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraJobs, loraModels, loraVersions } from '@/server/db/schema/index.ts';
import { ConflictError } from '@/server/errors';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { newId } from '@/server/ids';
import { assertWithinLimit } from '@/server/plans/limits';
import { dispatchJob } from '@/server/providers/dispatch';
import { assertConsentStatement, recordConsent } from './consent.ts';
import { checkCreateInputs, checkDatasetReady } from './create-checks.ts';
import { JOB_CONFIG } from './config.ts';
import { appendControlEvent } from './events.ts';
import { findJobByIdempotencyKey, isUniqueViolation } from './idempotency.ts';
import { getJobOrThrow, toJobDetail } from './internal.ts';
import { estimateRecord } from './job-cost.ts';
import { resolveParams } from './params.ts';
import { snapshotColumns } from './snapshot.ts';
import type { CreateJobInput, JobDetail } from './schemas.ts';
import { estimateForDataset, presetParamsOf, textChoiceFor } from './text-estimate.ts';

export interface CreateJobResult {
  created: boolean;
  job: JobDetail;
}

/**
 * Start training a new version: checks, quota, consent, version and job rows and their audit
 * rows in ONE transaction; dispatch after commit. The same Idempotency-Key returns the job it
 * created before (created: false) and writes nothing.
 */
export async function createJob({ ctx, input, idempotencyKey, now = new Date() }: { ctx: ServiceContext; input: CreateJobInput; idempotencyKey: string; now?: Date }): Promise<CreateJobResult> {
  const ws = requireWorkspace(ctx);
  const replay = async (jobId: string): Promise<CreateJobResult> => ({ created: false, job: await toJobDetail(ctx.db, await getJobOrThrow(ctx.db, ws, jobId)) });
  const earlier = await findJobByIdempotencyKey(ctx.db, ws, idempotencyKey, input);
  if (earlier) return replay(earlier);

  let outcome: { jobId: string; created: boolean };
  try {
    outcome = await withTransaction(ctx, async (tx) => {
      // Ownership before quota: another workspace's id answers 404 and reveals nothing else.
      const { model, dataset, base, targetPlatform } = await checkCreateInputs(tx.db, ws, input);
      const statement = assertConsentStatement(input.consent, dataset.modality);
      // Text bases: the chosen preset replaces the base's defaults; the estimate is stored with
      // the job so the monitor shows what the person saw before starting.
      const choice = textChoiceFor(base, input);
      const params = resolveParams(base, input.params, presetParamsOf(choice));
      checkDatasetReady(dataset);
      const estimate = choice ? estimateForDataset({ base, params, choice, dataset }) : null;
      await assertWithinLimit(tx, 'training_jobs_per_month', now);
      // Under the workspace lock a concurrent twin of this request has either committed (we
      // see its job here) or not started; either way no second job is written.
      const twin = await findJobByIdempotencyKey(tx.db, ws, idempotencyKey, input);
      if (twin) return { jobId: twin, created: false };

      await tx.db.select({ id: loraModels.id }).from(loraModels).where(eq(loraModels.id, model.id)).for('update');
      const [max] = await tx.db
        .select({ n: sql<number>`COALESCE(MAX(${loraVersions.number}), 0)` })
        .from(loraVersions)
        .where(eq(loraVersions.loraModelId, model.id));
      const versionId = newId('version');
      const jobId = newId('job');
      await tx.db.insert(loraVersions).values({
        id: versionId,
        workspaceId: ws,
        loraModelId: model.id,
        number: Number(max?.n ?? 0) + 1,
        trainableBaseModel: base.id,
        targetPlatform,
        paramsJson: params,
        datasetId: dataset.id,
        datasetHash: dataset.datasetHash ?? dataset.archiveSha256!,
        // What was checked above and is consented to below: every attempt trains on it or fails.
        ...snapshotColumns(dataset),
        status: 'pending',
      });
      await tx.db.insert(loraJobs).values({
        id: jobId,
        workspaceId: ws,
        createdBy: actorUserId(ctx),
        loraVersionId: versionId,
        provider: input.provider ?? 'worker_pool',
        status: 'queued',
        maxAttempts: JOB_CONFIG.maxAttempts,
        idempotencyKey,
        deadlineAt: new Date(now.getTime() + JOB_CONFIG.deadlineHours * 3600_000),
        costEstimateUsd: estimate ? estimate.total_usd.toFixed(4) : null,
        estimateJson: choice ? estimateRecord(choice, estimate) : null,
        createdAt: now,
        updatedAt: now,
      });
      const consentId = await recordConsent(tx, {
        datasetId: dataset.id,
        jobId,
        version: input.consent.statement_version,
        statement,
        datasetHash: dataset.datasetHash ?? dataset.archiveSha256!,
        datasetArchiveSha256: dataset.archiveSha256!,
      });
      await recordAudit(tx, { action: 'consent.grant', targetType: 'lora_dataset', targetId: dataset.id, metadata: { consent_id: consentId, job_id: jobId, statement_version: input.consent.statement_version, dataset_archive_sha256: dataset.archiveSha256 } });
      await recordAudit(tx, {
        action: 'job.create',
        targetType: 'lora_job',
        targetId: jobId,
        metadata: {
          model_id: model.id,
          version_id: versionId,
          dataset_id: dataset.id,
          base_model: base.id,
          provider: input.provider ?? 'worker_pool',
          ...(choice ? { preset: choice.preset, gpu_type: choice.gpuType, gpu_count: choice.gpuCount, cost_estimate_usd: estimate?.total_usd ?? null } : {}),
        },
      });
      await appendControlEvent(tx.db, { jobId, attempt: 1, type: 'status', payload: { status: 'queued', stage: 'queued', attempt: 1 } });
      return { jobId, created: true };
    });
  } catch (err) {
    // A concurrent duplicate that slipped past both checks hits the unique index instead.
    if (!isUniqueViolation(err, 'lora_jobs_idempotency_unique')) throw err;
    const existing = await findJobByIdempotencyKey(ctx.db, ws, idempotencyKey, input);
    if (!existing) throw new ConflictError('A job with this Idempotency-Key is being created; retry the request.');
    outcome = { jobId: existing, created: false };
  }
  if (!outcome.created) return replay(outcome.jobId);
  await dispatchJob(ctx, outcome.jobId).catch((err: unknown) => ctx.log.warn({ err, jobId: outcome.jobId }, 'dispatch deferred to the scheduler'));
  const jv = await getJobOrThrow(ctx.db, ws, outcome.jobId);
  return { created: true, job: await toJobDetail(ctx.db, jv) };
}


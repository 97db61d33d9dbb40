// A Replicate training that succeeded: copy its weights into our storage (fenced, see
// copy-weights.ts) at the key this attempt's artifact gets, then run the same verification
// as for our own workers. A refused or missing download fails the job with the reason; a
// network hiccup leaves it `verifying` for the scheduler to try again.
import type { JobStatus, JobSucceededData } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { loraDatasets } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { finalizeSucceeded, settleVerification } from '@/server/jobs/finalize/finalize';
import { hashStoredObject } from '@/server/jobs/finalize/inspect';
import { getJobForSystem } from '@/server/jobs/internal';
import { outputKeysFor } from '@/server/jobs/spec';
import type { ReplicateTraining } from './client.ts';
import { copyReplicateWeights, WeightsRefused } from './copy-weights.ts';

export async function completeReplicateTraining(ctx: ServiceContext, jobId: string, training: ReplicateTraining): Promise<JobStatus> {
  const jv = await getJobForSystem(ctx.db, jobId);
  if (!jv) return 'failed';
  const { job } = jv;
  const [ds] = await ctx.db.select({ modality: loraDatasets.modality }).from(loraDatasets).where(eq(loraDatasets.id, jv.version.datasetId));
  const key = outputKeysFor(jv, ds?.modality ?? 'image', job.attempt).artifact;
  const weights = training.output?.weights;
  const emptyReport: JobSucceededData = { artifact: { key, sha256: '0'.repeat(64), bytes: 0 }, files: [], summary: {}, gpu_seconds: 0 };
  const reject = (code: string, message: string) => settleVerification(ctx, { jobId, attempt: job.attempt, report: emptyReport, result: { ok: false, code, message } });
  if (!weights) return reject('artifact_missing', 'Replicate reported success but returned no weights URL.');
  try {
    await copyReplicateWeights(weights, key);
  } catch (err) {
    if (err instanceof WeightsRefused) return reject('artifact_unavailable', `The weights were not copied: ${err.message}.`);
    ctx.log.warn({ err, jobId }, 'copying Replicate weights failed; will retry');
    return job.status;
  }
  // We hashed nothing on the way in on purpose: verification re-reads what storage holds.
  const stored = await hashStoredObject(key);
  const predict = training.metrics?.predict_time ?? 0;
  const report: JobSucceededData = {
    artifact: { key, sha256: stored.sha256, bytes: stored.bytes },
    files: [],
    summary: { provider: 'replicate', training_id: training.id, ...(training.output?.version ? { replicate_version: training.output.version } : {}), predict_time: predict },
    gpu_seconds: predict,
  };
  return finalizeSucceeded(ctx, { jobId, attempt: job.attempt, report, source: 'replicate' });
}

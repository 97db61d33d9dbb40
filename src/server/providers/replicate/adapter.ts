// replicate: the trainings API. Dispatch creates a training with our webhook; its webhook
// (or the scheduler's poll, when webhooks are lost) moves the job; cancel asks Replicate.
import { eq } from 'drizzle-orm';
import type { TrainingParams } from '@lora-studio/protocol';
import { env } from '@/env';
import { loraModels } from '@/server/db/schema/index.ts';
import { specFailureOf } from '@/server/jobs/spec-failure';
import { loadPinnedSnapshot, type DatasetSnapshot } from '@/server/jobs/snapshot';
import { getStorage } from '@/server/storage';
import type { ProviderAdapter } from '../types.ts';
import { cancelTraining, createTraining, getTraining } from './client.ts';
import { replicateConfig } from './config.ts';
import { mapReplicateTraining } from './status.ts';
import { replicateTrainerFor } from './trainers.ts';

export const replicateProvider: ProviderAdapter = {
  id: 'replicate',
  async dispatch(ctx, jv) {
    const trainer = replicateTrainerFor({ id: jv.version.trainableBaseModel });
    if (!trainer) return { kind: 'rejected', code: 'provider_unsupported', message: `no Replicate trainer for ${jv.version.trainableBaseModel}` };
    const destination = replicateConfig().destination;
    if (!destination) return { kind: 'retry', message: 'REPLICATE_DESTINATION is not configured' };
    const [model] = await ctx.db.select().from(loraModels).where(eq(loraModels.id, jv.version.loraModelId));
    // The zip pinned when the run was consented to, never the dataset as it is now.
    let snapshot: DatasetSnapshot;
    try {
      if (!model) throw new Error(`job ${jv.job.id}: model ${jv.version.loraModelId} is missing`);
      ({ snapshot } = await loadPinnedSnapshot(ctx.db, jv.version));
    } catch (err) {
      return { kind: 'unbuildable', failure: specFailureOf(ctx, jv.job.id, err) };
    }
    // Replicate downloads the zip itself: a signed GET that outlives its queue.
    const get = await getStorage().driver.presignGet({ key: snapshot.key, expiresInSeconds: 24 * 3600, sha256: snapshot.sha256 });
    const answer = await createTraining({
      owner: trainer.owner,
      name: trainer.name,
      version: trainer.version,
      destination,
      webhook: `${env().APP_URL}/api/lora/webhook/replicate`,
      input: trainer.input({ datasetUrl: get.url, params: jv.version.paramsJson as TrainingParams, triggerWord: model.triggerWord, kind: model.kind }),
    });
    if (answer.kind === 'retry') return answer;
    if (answer.kind === 'error') return { kind: 'rejected', code: 'provider_rejected', message: answer.message };
    return { kind: 'accepted', externalJobId: answer.training.id, record: { replicate: { trainer: `${trainer.owner}/${trainer.name}:${trainer.version}`, hardware: trainer.hardware } } };
  },
  async cancel(ctx, jv) {
    if (!jv.job.externalJobId) return;
    const answer = await cancelTraining(jv.job.externalJobId);
    if (answer.kind !== 'ok') ctx.log.warn({ jobId: jv.job.id, answer }, 'Replicate did not confirm the cancel');
  },
  async poll(_ctx, jv) {
    if (!jv.job.externalJobId) return null;
    const answer = await getTraining(jv.job.externalJobId);
    return answer.kind === 'ok' ? mapReplicateTraining(answer.training) : null;
  },
};

// Which Replicate trainer runs which base model, and how our params map onto its inputs.
// Trainer versions are pinned (a new version can change inputs); operators bump them here.
import type { TrainingParams } from '@lora-studio/protocol';
import type { BaseModel } from '@/server/db/schema/index.ts';

export interface ReplicateTrainer {
  owner: string;
  name: string;
  version: string;
  /** GPU the trainer runs on, for cost accounting. */
  hardware: string;
  input(p: { datasetUrl: string; params: TrainingParams; triggerWord: string | null; kind: string }): Record<string, unknown>;
}

const TRAINERS: Record<string, ReplicateTrainer> = {
  'flux-dev': {
    owner: 'ostris',
    name: 'flux-dev-lora-trainer',
    version: 'b6af14222e6bd9be257cbc1ea4afda3cd0503e1133083b9d1de0364d8568e6ef',
    hardware: 'H100',
    input: ({ datasetUrl, params, triggerWord }) => ({
      input_images: datasetUrl,
      ...(triggerWord ? { trigger_word: triggerWord } : {}),
      steps: params.steps ?? 1000,
      lora_rank: params.rank ?? 16,
      learning_rate: params.learning_rate ?? 4e-4,
      batch_size: params.batch_size ?? 1,
      resolution: String(params.resolution ?? 1024),
      autocaption: true,
      ...(params.caption_dropout !== undefined ? { caption_dropout_rate: params.caption_dropout } : {}),
    }),
  },
  'sdxl-base-1.0': {
    owner: 'stability-ai',
    name: 'sdxl',
    version: '39ed52f2a78e934b3ba6e2a89f5b1c712de7dfea535525255b1aa35c5565e08b',
    hardware: 'A40',
    input: ({ datasetUrl, params, triggerWord, kind }) => ({
      input_images: datasetUrl,
      ...(triggerWord ? { token_string: triggerWord } : {}),
      max_train_steps: params.steps ?? 1000,
      lora_rank: params.rank ?? 32,
      unet_learning_rate: params.learning_rate ?? 1e-6,
      resolution: params.resolution ?? 1024,
      train_batch_size: params.batch_size ?? 4,
      use_face_detection_instead: kind === 'identity',
    }),
  },
};

export function replicateTrainerFor(base: Pick<BaseModel, 'id'>): ReplicateTrainer | null {
  return TRAINERS[base.id] ?? null;
}

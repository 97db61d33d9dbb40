// Job params → the concrete settings cpu-reference trains with. Everything in the spec is
// optional; the defaults make the loss fall clearly within a default run on a laptop.
import type { JobSpec } from '@lora-studio/protocol';
import type { OptimizerOptions } from './optimizer.ts';

export interface TrainSettings {
  steps: number;
  batchSize: number;
  rank: number;
  alpha: number;
  dropout: number;
  seed: number;
  saveEvery: number;
  sampleEvery: number;
  optimizer: Omit<OptimizerOptions, 'totalSteps'>;
}

/**
 * `maxStepsFromEpochs`: steps derived from epochs are capped, because this backend exercises the
 * pipeline, not long runs. The tiny text decoder trains at ~1,700 tokens/s on one core (batch 8
 * × 64 bytes ≈ 0.3 s a step), so its cap is lower: a preset's 5 epochs stay well under a minute.
 */
export const IMAGE_DEFAULTS = { steps: 300, learningRate: 1e-2, batchSize: 4, rank: 8, alpha: 8, dropout: 0, maxStepsFromEpochs: 300 };
export const TEXT_DEFAULTS = { steps: 200, learningRate: 1e-2, batchSize: 4, rank: 8, alpha: 16, dropout: 0.05, maxStepsFromEpochs: 80 };

export function resolveSettings(
  spec: JobSpec,
  defaults: typeof IMAGE_DEFAULTS,
  batchesPerEpoch: (batchSize: number) => number,
  note: (line: string) => void,
): TrainSettings {
  const p = spec.params;
  const batchSize = p.batch_size ?? defaults.batchSize;
  let steps = p.steps ?? defaults.steps;
  if (p.steps === undefined && p.epochs !== undefined) {
    const perEpoch = Math.max(1, batchesPerEpoch(batchSize));
    steps = p.epochs * perEpoch;
    if (steps > defaults.maxStepsFromEpochs) {
      note(`${p.epochs} epochs × ${perEpoch} batches = ${steps} steps; cpu-reference caps epoch-derived runs at ${defaults.maxStepsFromEpochs}`);
      steps = defaults.maxStepsFromEpochs;
    }
  }
  const optimizerName = (p.optimizer ?? 'adamw').toLowerCase();
  const kind = optimizerName.startsWith('sgd') ? 'sgd' : 'adamw';
  if (!/^(adamw?|adamw8bit|sgd.*)$/.test(optimizerName)) note(`optimizer "${p.optimizer}" is not available on cpu-reference; using AdamW`);
  const rank = p.rank ?? defaults.rank;
  return {
    steps,
    batchSize,
    rank,
    alpha: p.alpha ?? (p.rank !== undefined ? rank * (defaults.alpha / defaults.rank) : defaults.alpha),
    dropout: p.dropout ?? defaults.dropout,
    seed: p.seed ?? 42,
    saveEvery: p.save_every ?? 0,
    sampleEvery: p.sample_every ?? 0,
    optimizer: {
      kind,
      learningRate: p.learning_rate ?? defaults.learningRate,
      weightDecay: p.weight_decay ?? 0,
      maxGradNorm: p.max_grad_norm ?? 1,
      warmupSteps: Math.min(p.warmup_steps ?? 0, steps),
      schedule: p.scheduler?.toLowerCase().includes('cosine') ? 'cosine' : 'constant',
    },
  };
}

/**
 * The layers to adapt. Names match exactly, by their last segments (`q_proj`, `proj_in`), or in
 * kohya spelling (`lora_unet_mid_block_attentions_0_proj_in`); `all-linear` selects every layer.
 * Names from a real model that the tiny base lacks fall back to the default, with a log line.
 */
export function selectLayers(all: string[], requested: string[] | undefined, defaults: string[], note: (line: string) => void): string[] {
  if (!requested || requested.length === 0) return defaults;
  const flat = (s: string) => s.replace(/^lora_unet_|^base_model\.model\./, '').replace(/\./g, '_');
  const picked = all.filter((layer) =>
    requested.some((r) => r === 'all-linear' || layer === r || flat(layer) === flat(r) || flat(layer).endsWith(`_${flat(r)}`)),
  );
  const unknown = requested.filter((r) => r !== 'all-linear' && !all.some((l) => l === r || flat(l) === flat(r) || flat(l).endsWith(`_${flat(r)}`)));
  if (picked.length === 0) {
    note(`target_modules ${JSON.stringify(requested)} match no layer of the tiny base; using ${JSON.stringify(defaults)}`);
    return defaults;
  }
  if (unknown.length > 0) note(`target_modules ${JSON.stringify(unknown)} are not in the tiny base and were skipped`);
  return picked;
}

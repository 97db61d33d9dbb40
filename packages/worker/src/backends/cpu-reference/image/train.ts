// An image LoRA run: denoising objective on 16×16 patches of the training photos (noisy patch
// in, clean patch out, mean squared error), LoRA adapters on the chosen UNet-named layers.
import { join } from 'node:path';
import type { BackendContext, BackendResult } from '../../types.ts';
import { ensureDir, fileStem } from '../files.ts';
import { LoraAdapter } from '../linear.ts';
import { lossEnds, trainLoop } from '../loop.ts';
import { mseLoss } from '../losses.ts';
import { LoraOptimizer } from '../optimizer.ts';
import { IMAGE_DEFAULTS, resolveSettings, selectLayers } from '../params.ts';
import { Prng } from '../prng.ts';
import { standInLine } from '../standin.ts';
import { loadTinyBase } from '../tiny-base/load.ts';
import { TINY_IMAGE, TINY_NOTE } from '../tiny-base/spec.ts';
import { kohyaMetadata, writeKohyaFile } from './artifact.ts';
import { addNoise, folderName, loadImageSet, samplePatches, tagFrequency, workingSize, type ImageSet } from './data.ts';
import { ImageNet, PATCH_FEATURES } from './model.ts';
import { writeReconstructionGrid } from './sample.ts';

/** Noise added to input patches (pixel values in [-1, 1]). */
export const NOISE_SIGMA = 0.2;
/** Patches drawn per image in a batch (`batch_size` counts images, as the real trainers do). */
export const PATCHES_PER_IMAGE = 8;

export interface ImageJob {
  result: BackendResult;
  /** The trained network with its adapters attached (unmerged), for inspection. */
  net: ImageNet;
  set: ImageSet;
}

export async function trainImageJob(ctx: BackendContext): Promise<ImageJob> {
  const { spec } = ctx;
  const note = (line: string) => ctx.emit({ type: 'log', lines: [line] });
  note(standInLine(spec));
  const set = await loadImageSet(ctx.datasetDir, workingSize(spec.params.resolution), ctx.signal, note);
  const s = resolveSettings(spec, IMAGE_DEFAULTS, (bs) => Math.ceil(set.images.length / bs), note);
  const net = new ImageNet(loadTinyBase('image'));
  const all = TINY_IMAGE.layers.map((l) => l.name);
  const chosen = selectLayers(all, spec.params.target_modules, all, note);
  const rng = new Prng(s.seed);
  const adapters = net.layers
    .filter((l) => chosen.includes(l.name))
    .map((l) => (l.lora = new LoraAdapter(s.rank, s.alpha, l.inFeatures, l.outFeatures, s.dropout).init(rng)));
  const opt = new LoraOptimizer(adapters, { ...s.optimizer, totalSteps: s.steps });
  const n = s.batchSize * PATCHES_PER_IMAGE;
  note(
    `${set.images.length} images at ${set.size}×${set.size}, ${s.steps} steps, batch ${s.batchSize} (${n} patches), rank ${s.rank}, alpha ${s.alpha}, ` +
      `lr ${s.optimizer.learningRate} (${s.optimizer.kind}), layers: ${chosen.join(', ')}`,
  );

  const outDir = await ensureDir(join(ctx.workDir, 'out'));
  const stem = fileStem(spec.model_name);
  const meta = (step: number) =>
    kohyaMetadata({
      spec, outputName: stem, rank: s.rank, alpha: s.alpha, totalSteps: s.steps, step, learningRate: s.optimizer.learningRate,
      batchSize: s.batchSize, seed: s.seed, size: set.size, imageCount: set.images.length, datasetHash: set.datasetHash,
      tagFrequency: tagFrequency(set, spec.trigger_word, folderName(spec.trigger_word, ctx.datasetDir)),
    });
  const clean = new Float32Array(n * PATCH_FEATURES);
  const loop = await trainLoop(ctx, {
    totalSteps: s.steps,
    unit: 'samples',
    runStep: () => {
      samplePatches(set, n, rng, clean);
      opt.zeroGrad();
      const { loss, grad } = mseLoss(net.forward(addNoise(clean, NOISE_SIGMA, rng), n, true, rng), clean);
      net.backward(grad);
      return { loss, ...opt.step(), items: n };
    },
    afterStep: async (step) => {
      if (s.saveEvery > 0 && step % s.saveEvery === 0 && step < s.steps) {
        const path = join(await ensureDir(join(ctx.workDir, 'checkpoints')), `${stem}-step${String(step).padStart(6, '0')}.safetensors`);
        await writeKohyaFile(path, net.layers, meta(step));
        ctx.emit({ type: 'checkpoint', step, path });
      }
      if (s.sampleEvery > 0 && step % s.sampleEvery === 0) {
        const path = join(await ensureDir(join(ctx.workDir, 'samples')), `sample-step${String(step).padStart(6, '0')}.png`);
        await writeReconstructionGrid(net, set, NOISE_SIGMA, s.seed, path);
        ctx.emit({ type: 'sample', step, path, contentType: 'image/png', prompt: 'rows: training images; columns: clean | noisy input | LoRA output' });
      }
    },
  });

  const artifactPath = join(outDir, `${stem}.safetensors`);
  const bytes = await writeKohyaFile(artifactPath, net.layers, meta(s.steps));
  const { first, last } = lossEnds(loop.losses);
  note(`wrote ${artifactPath} (${bytes} bytes): loss ${first.toFixed(4)} → ${last.toFixed(4)} in ${loop.seconds.toFixed(1)} s`);
  const result: BackendResult = {
    artifactPath,
    extraFiles: [],
    summary: {
      first_loss: loop.losses[0] ?? null,
      final_loss: loop.losses.at(-1) ?? null,
      first_loss_mean_10pct: first,
      final_loss_mean_10pct: last,
      steps: s.steps,
      rank: s.rank,
      alpha: s.alpha,
      learning_rate: s.optimizer.learningRate,
      batch_size: s.batchSize,
      images: set.images.length,
      seconds: Number(loop.seconds.toFixed(3)),
      base_model: TINY_IMAGE.id,
      note: TINY_NOTE,
    },
  };
  return { result, net, set };
}

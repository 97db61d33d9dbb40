// cpu-reference, image modality: real LoRA training on the tiny denoiser, end to end through
// the backend contract, with the artifact read back by the protocol's own parser.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkBaseFamily, decodeSafetensors, detectLoraFormat, parseSafetensorsHeader } from '@lora-studio/protocol';
import { applyLora, cpuReferenceBackend, loadLora, loadTinyBase, runBase, trainImageJob, type ImageJob } from '../src/backends/cpu-reference/index.ts';
import { Prng } from '../src/backends/cpu-reference/prng.ts';
import { BackendCanceled, BackendFailed } from '../src/backends/types.ts';
import { makePhotoSet, makeSpec, ofType, recordingContext, tempDir, removeTempDirs, type RecordedRun } from './cpu-reference-helpers.ts';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const PARAMS = { steps: 40, batch_size: 2, rank: 4, alpha: 2, learning_rate: 0.01, seed: 7, save_every: 20, sample_every: 20, resolution: 256 };
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function randomPatches(n: number, seed: number): Float32Array {
  const rng = new Prng(seed);
  return Float32Array.from({ length: n * 768 }, () => rng.symmetric(1));
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

describe('cpu-reference: image LoRA', () => {
  let photos: string;
  let run: RecordedRun;
  let job: ImageJob;

  afterAll(removeTempDirs);

  beforeAll(async () => {
    photos = await makePhotoSet(8);
    run = recordingContext(makeSpec({ modality: 'image', params: PARAMS, family: 'flux' }), photos);
    job = await trainImageJob(run.ctx);
  });

  it('trains: the loss falls, with progress and metrics every step', () => {
    const progress = ofType(run.events, 'progress');
    expect(progress.map((p) => p.step)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(progress.every((p) => p.totalSteps === 40 && p.stage === 'training')).toBe(true);
    const metrics = ofType(run.events, 'metrics');
    expect(metrics).toHaveLength(40);
    expect(metrics.every((m) => m.learningRate === 0.01 && m.gradNorm! > 0 && m.throughput! > 0)).toBe(true);
    const losses = metrics.map((m) => m.loss!);
    expect(mean(losses.slice(0, 4))).toBeGreaterThan(mean(losses.slice(-4)));
    expect(job.result.summary).toMatchObject({ steps: 40, rank: 4, alpha: 2, images: 8, base_model: 'lora-studio-tiny-image-v1' });
    expect(job.result.summary.first_loss_mean_10pct as number).toBeGreaterThan(job.result.summary.final_loss_mean_10pct as number);
  });

  it('says in the log what it trains and whom it stands in for', () => {
    const lines = ofType(run.events, 'log').flatMap((e) => e.lines);
    expect(lines[0]).toMatch(/tiny built-in image base lora-studio-tiny-image-v1, standing in for flux-base \(flux\).*will not work with the real model/);
    expect(lines.some((l) => /^step 40\/40 loss \d/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes('skipping'))).toBe(false);
  });

  it('writes a kohya LoRA with the requested rank and alpha and the ss_* metadata', async () => {
    expect(job.result.artifactPath).toBe(join(run.ctx.workDir, 'out', 'test_face_lora.safetensors'));
    const bytes = readFileSync(job.result.artifactPath);
    const header = parseSafetensorsHeader(bytes);
    const names = Object.keys(header.tensors);
    expect(names).toHaveLength(18);
    expect(names.every((n) => /^lora_unet_[a-z0-9_]+\.(lora_down\.weight|lora_up\.weight|alpha)$/.test(n))).toBe(true);
    expect(header.tensors['lora_unet_down_blocks_0_attentions_0_proj_in.lora_down.weight']).toMatchObject({ dtype: 'F32', shape: [4, 768] });
    expect(header.tensors['lora_unet_up_blocks_0_attentions_0_proj_out.lora_up.weight']).toMatchObject({ dtype: 'F32', shape: [768, 4] });
    expect(header.tensors['lora_unet_mid_block_attentions_0_proj_in.alpha']).toMatchObject({ dtype: 'F32', shape: [] });

    const file = decodeSafetensors(bytes);
    const detected = detectLoraFormat(file, { readTensor: file.getTensor });
    expect(detected).toMatchObject({ format: 'kohya', algo: 'lora', rank: 4, alpha: 2, textEncoder: false, baseModelHint: 'lora-studio-tiny-image-v1' });
    expect(detected.targetModules).toEqual([
      'lora_unet_down_blocks_0_attentions_0_proj_in',
      'lora_unet_down_blocks_0_attentions_0_proj_out',
      'lora_unet_mid_block_attentions_0_proj_in',
      'lora_unet_mid_block_attentions_0_proj_out',
      'lora_unet_up_blocks_0_attentions_0_proj_in',
      'lora_unet_up_blocks_0_attentions_0_proj_out',
    ]);
    expect(checkBaseFamily(detected, 'tiny')).toBeNull();
    expect(checkBaseFamily(detected, 'flux')).toMatch(/cpu-reference/);

    const imageFiles = readdirSync(join(photos, 'img')).filter((f) => /\.(jpg|png|webp)$/.test(f));
    const datasetHash = sha256(imageFiles.map((f) => sha256(readFileSync(join(photos, 'img', f)))).sort().join('\n'));
    expect(header.metadata).toMatchObject({
      ss_network_module: 'networks.lora',
      ss_network_dim: '4',
      ss_network_alpha: '2',
      ss_max_train_steps: '40',
      ss_steps: '40',
      ss_learning_rate: '0.01',
      ss_base_model_version: 'lora-studio-tiny-image-v1',
      ss_sd_model_name: 'tiny-base-image.safetensors',
      ss_output_name: 'test_face_lora',
      ss_num_train_images: '8',
      ss_resolution: '(32, 32)',
      ss_seed: '7',
      ss_dataset_sha256: datasetHash,
      ss_lora_studio_requested_base: 'flux-base@v1 (flux)',
      'modelspec.trigger_phrase': 'ohwx',
    });
    expect(JSON.parse(header.metadata.ss_tag_frequency!)).toEqual({ '1_ohwx': { ohwx: 8, 'a photo of a person': 4, portrait: 4 } });
    expect(header.metadata.ss_lora_studio_note).toMatch(/exercises the pipeline only: it is not usable with Flux, SDXL, Llama or any real model/);
    expect(header.metadata.ss_training_comment).toMatch(/^trigger word is ohwx\. Trained by the LoRA Studio cpu-reference backend/);
  });

  it('loaded and merged into the base, reproduces the trained model exactly (and changes the base)', async () => {
    const lora = await loadLora(job.result.artifactPath);
    expect(lora.kind).toBe('image');
    expect([...lora.layers.values()].every((l) => l.rank === 4 && l.alpha === 2)).toBe(true);
    const base = loadTinyBase('image');
    const x = randomPatches(6, 11);
    const trained = job.net.forward(x, 6);
    expect(maxAbsDiff(runBase(applyLora(base, lora), x), trained)).toBeLessThan(1e-4);
    expect(maxAbsDiff(runBase(base, x), trained)).toBeGreaterThan(1e-2);
    expect(maxAbsDiff(runBase(applyLora(base, lora, 0), x), runBase(base, x))).toBe(0);
  });

  it('writes a checkpoint every save_every steps and a reconstruction grid every sample_every steps', async () => {
    const checkpoints = ofType(run.events, 'checkpoint');
    expect(checkpoints.map((c) => c.step)).toEqual([20]);
    const ckpt = parseSafetensorsHeader(readFileSync(checkpoints[0]!.path));
    expect(ckpt.metadata).toMatchObject({ ss_steps: '20', ss_max_train_steps: '40' });
    expect(Object.keys(ckpt.tensors)).toHaveLength(18);
    const samples = ofType(run.events, 'sample');
    expect(samples.map((s) => [s.step, s.contentType])).toEqual([
      [20, 'image/png'],
      [40, 'image/png'],
    ]);
    const meta = await sharp(samples[1]!.path).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 384, 512]);
  });

  it('is deterministic: the same spec and seed give a byte-identical artifact', async () => {
    const again = recordingContext(makeSpec({ modality: 'image', params: PARAMS, family: 'flux' }), photos);
    const result = await cpuReferenceBackend.run(again.ctx);
    expect(sha256(readFileSync(result.artifactPath))).toBe(sha256(readFileSync(job.result.artifactPath)));
    expect(result.extraFiles).toEqual([]);
  });

  it('respects steps, rank, alpha and target_modules', async () => {
    const spec = makeSpec({
      modality: 'image',
      params: { steps: 5, rank: 2, alpha: 1, batch_size: 1, target_modules: ['mid_block.attentions.0.proj_in', 'lora_unet_up_blocks_0_attentions_0_proj_out'] },
    });
    const small = recordingContext(spec, photos);
    const result = await cpuReferenceBackend.run(small.ctx);
    expect(ofType(small.events, 'progress')).toHaveLength(5);
    const file = decodeSafetensors(readFileSync(result.artifactPath));
    expect(Object.keys(file.tensors).sort()).toEqual([
      'lora_unet_mid_block_attentions_0_proj_in.alpha',
      'lora_unet_mid_block_attentions_0_proj_in.lora_down.weight',
      'lora_unet_mid_block_attentions_0_proj_in.lora_up.weight',
      'lora_unet_up_blocks_0_attentions_0_proj_out.alpha',
      'lora_unet_up_blocks_0_attentions_0_proj_out.lora_down.weight',
      'lora_unet_up_blocks_0_attentions_0_proj_out.lora_up.weight',
    ]);
    expect(file.tensors['lora_unet_mid_block_attentions_0_proj_in.lora_down.weight']!.shape).toEqual([2, 128]);
    expect(file.tensors['lora_unet_up_blocks_0_attentions_0_proj_out.lora_up.weight']!.shape).toEqual([768, 2]);
    expect(Array.from(file.getTensor('lora_unet_mid_block_attentions_0_proj_in.alpha'))).toEqual([1]);
    expect(detectLoraFormat(file, { readTensor: file.getTensor })).toMatchObject({ rank: 2, alpha: 1 });
    // No standing-in line for the tiny family itself.
    expect(ofType(small.events, 'log')[0]!.lines[0]).toMatch(/lora-studio-tiny-image-v1\.$/);
  });

  it('derives steps from epochs, and falls back to every layer for module names the tiny base lacks', async () => {
    const spec = makeSpec({ modality: 'image', params: { epochs: 2, batch_size: 4, target_modules: ['to_q', 'to_k'] } });
    const small = recordingContext(spec, photos);
    const result = await cpuReferenceBackend.run(small.ctx);
    expect(ofType(small.events, 'progress').at(-1)).toMatchObject({ step: 4, totalSteps: 4 });
    expect(ofType(small.events, 'log').flatMap((e) => e.lines).some((l) => l.includes('match no layer of the tiny base'))).toBe(true);
    expect(Object.keys(parseSafetensorsHeader(readFileSync(result.artifactPath)).tensors)).toHaveLength(18);
  });

  it('stops within a couple of steps of an abort, with BackendCanceled', async () => {
    const spec = makeSpec({ modality: 'image', params: { steps: 1000 } });
    const canceled = recordingContext(spec, photos, (e, r) => {
      if (e.type === 'progress' && e.step === 1) r.abort.abort();
    });
    await expect(cpuReferenceBackend.run(canceled.ctx)).rejects.toBeInstanceOf(BackendCanceled);
    // Progress comes every 10 steps at 1000 steps; aborted at step 1, it never reaches the next one.
    expect(Math.max(...ofType(canceled.events, 'progress').map((p) => p.step))).toBeLessThan(10);
    expect(Math.max(...ofType(canceled.events, 'metrics').map((p) => p.step), 0)).toBeLessThan(10);
    expect(existsSync(join(canceled.ctx.workDir, 'out', 'test_face_lora.safetensors'))).toBe(false);
  });

  it('fails with dataset_invalid when there is no decodable image', async () => {
    const empty = tempDir('empty');
    const failed = recordingContext(makeSpec({ modality: 'image', params: { steps: 2 } }), empty);
    await expect(cpuReferenceBackend.run(failed.ctx)).rejects.toMatchObject({ name: 'BackendFailed', code: 'dataset_invalid' });
    await expect(cpuReferenceBackend.run(failed.ctx)).rejects.toBeInstanceOf(BackendFailed);
  });

  it('accepts any spec (cannotRun is null)', () => {
    expect(cpuReferenceBackend.cannotRun(makeSpec({ modality: 'text', family: 'llama' }))).toBeNull();
    expect(cpuReferenceBackend.cannotRun(makeSpec({ modality: 'image', family: 'sdxl' }))).toBeNull();
  });
});

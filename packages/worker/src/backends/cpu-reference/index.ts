// cpu-reference: trains a real LoRA (low-rank A/B adapters, backpropagation, AdamW) on a tiny
// frozen network that ships with the worker, and writes it in the kohya (image) or PEFT
// (text) layout. It exists so the whole product loop runs on a laptop and in CI; its LoRAs
// exercise the pipeline and are not usable with any real model (every artifact says so).
import type { BackendContext, BackendResult, TrainerBackend } from '../types.ts';
import { trainImageJob } from './image/train.ts';
import { trainTextJob } from './text/train.ts';

export const cpuReferenceBackend: TrainerBackend = {
  id: 'cpu-reference',
  // Any modality and family: a real family is stood in for by the tiny base, and the job log says so.
  cannotRun: () => null,
  async run(ctx: BackendContext): Promise<BackendResult> {
    const job = ctx.spec.modality === 'image' ? await trainImageJob(ctx) : await trainTextJob(ctx);
    return job.result;
  },
};

export { trainImageJob, type ImageJob } from './image/train.ts';
export { trainTextJob, type TextJob } from './text/train.ts';
export { applyLora, loadLora, runBase, type LoadedLora, type LoadedLoraLayer } from './lora-io.ts';
export { loadTinyBase, tinyBaseFromBytes, tinyBasePath, type TinyBase } from './tiny-base/load.ts';
export { buildTinyBaseBytes, buildTinyBaseTensors, type TinyKind } from './tiny-base/build.ts';
export { TINY_IMAGE, TINY_NOTE, TINY_TEXT } from './tiny-base/spec.ts';

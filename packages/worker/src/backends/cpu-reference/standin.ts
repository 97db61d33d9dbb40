// What cpu-reference says about itself at the start of every job.
import type { JobSpec } from '@lora-studio/protocol';
import { TINY_IMAGE, TINY_TEXT } from './tiny-base/spec.ts';

export function standInLine(spec: JobSpec): string {
  const tiny = spec.modality === 'image' ? TINY_IMAGE.id : TINY_TEXT.id;
  const line = `cpu-reference: training a real LoRA on the CPU against the tiny built-in ${spec.modality} base ${tiny}`;
  if (spec.base_model.family === 'tiny') return `${line}.`;
  return `${line}, standing in for ${spec.base_model.id} (${spec.base_model.family}); the result exercises the pipeline and will not work with the real model.`;
}

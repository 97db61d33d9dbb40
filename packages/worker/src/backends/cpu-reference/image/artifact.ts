// The image LoRA file in kohya/sd-scripts layout: `lora_unet_<layer>.lora_down.weight` [r, in],
// `.lora_up.weight` [out, r], `.alpha` (scalar), plus the ss_* metadata A1111/ComfyUI/kohya
// tools read. No timestamps: the same job and seed give a byte-identical file.
import { writeFile } from 'node:fs/promises';
import { encodeSafetensors, type EncodableTensor, type JobSpec } from '@lora-studio/protocol';
import type { Linear } from '../linear.ts';
import { TINY_IMAGE, TINY_NOTE } from '../tiny-base/spec.ts';

export const kohyaModuleName = (layer: string) => `lora_unet_${layer.replace(/\./g, '_')}`;

export function kohyaTensors(layers: Linear[]): Record<string, EncodableTensor> {
  const out: Record<string, EncodableTensor> = {};
  for (const l of layers) {
    const lora = l.lora;
    if (!lora) continue;
    const k = kohyaModuleName(l.name);
    out[`${k}.lora_down.weight`] = { dtype: 'F32', shape: [lora.rank, l.inFeatures], data: lora.A };
    out[`${k}.lora_up.weight`] = { dtype: 'F32', shape: [l.outFeatures, lora.rank], data: lora.B };
    out[`${k}.alpha`] = { dtype: 'F32', shape: [], data: Float32Array.of(lora.alpha) };
  }
  return out;
}

export interface KohyaMetaInput {
  spec: JobSpec;
  outputName: string;
  rank: number;
  alpha: number;
  totalSteps: number;
  step: number;
  learningRate: number;
  batchSize: number;
  seed: number;
  size: number;
  imageCount: number;
  datasetHash: string;
  tagFrequency: Record<string, Record<string, number>>;
}

export function kohyaMetadata(m: KohyaMetaInput): Record<string, string> {
  const trigger = m.spec.trigger_word;
  const comment = `${trigger ? `trigger word is ${trigger}. ` : ''}${TINY_NOTE}`;
  return {
    ss_network_module: 'networks.lora',
    ss_network_dim: String(m.rank),
    ss_network_alpha: String(m.alpha),
    ss_max_train_steps: String(m.totalSteps),
    ss_steps: String(m.step),
    ss_learning_rate: String(m.learningRate),
    ss_unet_lr: String(m.learningRate),
    ss_text_encoder_lr: '0',
    ss_batch_size_per_device: String(m.batchSize),
    ss_seed: String(m.seed),
    ss_resolution: `(${m.size}, ${m.size})`,
    ss_num_train_images: String(m.imageCount),
    ss_base_model_version: TINY_IMAGE.id,
    ss_sd_model_name: TINY_IMAGE.file,
    ss_output_name: m.outputName,
    ss_tag_frequency: JSON.stringify(m.tagFrequency),
    ss_training_comment: comment,
    ss_lora_studio_note: TINY_NOTE,
    ss_lora_studio_job_id: m.spec.job_id,
    ss_lora_studio_requested_base: `${m.spec.base_model.id}@${m.spec.base_model.revision} (${m.spec.base_model.family})`,
    ss_dataset_sha256: m.datasetHash,
    ss_dataset_archive_sha256: m.spec.dataset.sha256,
    'modelspec.sai_model_spec': '1.0.0',
    'modelspec.architecture': `${TINY_IMAGE.id}/lora`,
    'modelspec.implementation': 'lora-studio/cpu-reference',
    'modelspec.title': m.spec.model_name,
    ...(trigger ? { 'modelspec.trigger_phrase': trigger } : {}),
  };
}

export async function writeKohyaFile(path: string, layers: Linear[], meta: Record<string, string>): Promise<number> {
  const bytes = encodeSafetensors(kohyaTensors(layers), meta);
  await writeFile(path, bytes);
  return bytes.length;
}

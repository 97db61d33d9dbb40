// The text adapter in PEFT layout: adapter_model.safetensors with
// `base_model.model.<layer>.lora_A.weight` [r, in] / `lora_B.weight` [out, r], and
// adapter_config.json as `peft` writes it (plus our note). PEFT keeps alpha in the config.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeSafetensors, type EncodableTensor } from '@lora-studio/protocol';
import type { Linear } from '../linear.ts';
import { TINY_NOTE, TINY_TEXT } from '../tiny-base/spec.ts';

export const peftModuleName = (layer: string) => `base_model.model.${layer}`;

export function peftTensors(layers: Linear[]): Record<string, EncodableTensor> {
  const out: Record<string, EncodableTensor> = {};
  for (const l of layers) {
    const lora = l.lora;
    if (!lora) continue;
    const k = peftModuleName(l.name);
    out[`${k}.lora_A.weight`] = { dtype: 'F32', shape: [lora.rank, l.inFeatures], data: lora.A };
    out[`${k}.lora_B.weight`] = { dtype: 'F32', shape: [l.outFeatures, lora.rank], data: lora.B };
  }
  return out;
}

export const PEFT_METADATA = { format: 'pt', base_model_name_or_path: TINY_TEXT.id, lora_studio_note: TINY_NOTE };

export function adapterConfig(o: { rank: number; alpha: number; dropout: number; targetModules: string[] }): Record<string, unknown> {
  return {
    alpha_pattern: {},
    base_model_name_or_path: TINY_TEXT.id,
    bias: 'none',
    fan_in_fan_out: false,
    inference_mode: true,
    init_lora_weights: true,
    layers_pattern: null,
    layers_to_transform: null,
    lora_alpha: o.alpha,
    lora_dropout: o.dropout,
    lora_studio_note: TINY_NOTE,
    modules_to_save: null,
    peft_type: 'LORA',
    r: o.rank,
    rank_pattern: {},
    revision: null,
    target_modules: o.targetModules,
    task_type: 'CAUSAL_LM',
    use_rslora: false,
  };
}

export async function writePeftFiles(dir: string, layers: Linear[], config: Record<string, unknown>): Promise<{ model: string; config: string }> {
  const model = join(dir, 'adapter_model.safetensors');
  const configPath = join(dir, 'adapter_config.json');
  await writeFile(model, encodeSafetensors(peftTensors(layers), PEFT_METADATA));
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return { model, config: configPath };
}

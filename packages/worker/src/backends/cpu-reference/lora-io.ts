// Reading a cpu-reference LoRA back and applying it to the tiny base, the way an inference
// tool would: merge W' = W + strength · (alpha / rank) · B·A into a copy of the base weights.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { decodeSafetensors, detectLoraFormat, type DetectedLora } from '@lora-studio/protocol';
import { kohyaModuleName } from './image/artifact.ts';
import { ImageNet, PATCH_FEATURES } from './image/model.ts';
import { peftModuleName } from './text/artifact.ts';
import { TextNet } from './text/model.ts';
import type { TinyBase } from './tiny-base/load.ts';
import { textLinears, TINY_IMAGE } from './tiny-base/spec.ts';

export interface LoadedLoraLayer {
  A: Float32Array;
  B: Float32Array;
  rank: number;
  alpha: number;
}

export interface LoadedLora {
  kind: 'image' | 'text';
  detected: DetectedLora;
  /** By base layer name (`mid_block.attentions.0.proj_in`, `model.layers.0.self_attn.q_proj`). */
  layers: Map<string, LoadedLoraLayer>;
}

/** Loads a kohya image LoRA or a PEFT text adapter (alpha from adapter_config.json beside it). */
export async function loadLora(path: string): Promise<LoadedLora> {
  const file = decodeSafetensors(await readFile(path));
  const adapterConfig = await readAdapterConfig(join(dirname(path), 'adapter_config.json'));
  const detected = detectLoraFormat(file, { readTensor: file.getTensor, ...(adapterConfig ? { adapterConfig } : {}) });
  const layers = new Map<string, LoadedLoraLayer>();
  if (detected.format === 'kohya') {
    for (const { name } of TINY_IMAGE.layers) {
      const k = kohyaModuleName(name);
      if (!file.tensors[`${k}.lora_down.weight`]) continue;
      const A = file.getTensor(`${k}.lora_down.weight`);
      const rank = file.tensors[`${k}.lora_down.weight`]!.shape[0]!;
      const alpha = file.tensors[`${k}.alpha`] ? file.getTensor(`${k}.alpha`)[0]! : rank;
      layers.set(name, { A, B: file.getTensor(`${k}.lora_up.weight`), rank, alpha });
    }
    return { kind: 'image', detected, layers };
  }
  if (detected.format === 'peft') {
    const alpha = typeof adapterConfig?.lora_alpha === 'number' ? adapterConfig.lora_alpha : null;
    for (const { name } of textLinears()) {
      const k = peftModuleName(name);
      if (!file.tensors[`${k}.lora_A.weight`]) continue;
      const rank = file.tensors[`${k}.lora_A.weight`]!.shape[0]!;
      layers.set(name, { A: file.getTensor(`${k}.lora_A.weight`), B: file.getTensor(`${k}.lora_B.weight`), rank, alpha: alpha ?? rank });
    }
    return { kind: 'text', detected, layers };
  }
  throw new Error(`${path} is a ${detected.format} file, not a cpu-reference LoRA`);
}

async function readAdapterConfig(path: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** A copy of `base` with the LoRA merged into its weights. */
export function applyLora(base: TinyBase, lora: LoadedLora, strength = 1): TinyBase {
  if (base.kind !== lora.kind) throw new Error(`a ${lora.kind} LoRA does not apply to the ${base.id} base`);
  const tensors = new Map(base.tensors);
  for (const [layer, { A, B, rank, alpha }] of lora.layers) {
    const w = base.tensors.get(`${layer}.weight`);
    if (!w) throw new Error(`${base.id} has no layer ${layer}`);
    const [out, inF] = w.shape as [number, number];
    const merged = Float32Array.from(w.data);
    const s = (strength * alpha) / rank;
    for (let o = 0; o < out; o++) {
      for (let k = 0; k < rank; k++) {
        const b = B[o * rank + k]! * s;
        for (let i = 0; i < inF; i++) merged[o * inF + i]! += b * A[k * inF + i]!;
      }
    }
    tensors.set(`${layer}.weight`, { shape: w.shape, data: merged });
  }
  return { ...base, tensors };
}

/** Image base: noisy patches [n, 768] → denoised patches. */
export function runBase(base: TinyBase, input: Float32Array): Float32Array;
/** Text base: one byte sequence → next-byte logits [length, 256]. */
export function runBase(base: TinyBase, input: Uint8Array): Float32Array;
export function runBase(base: TinyBase, input: Float32Array | Uint8Array): Float32Array {
  if (base.kind === 'image') {
    if (!(input instanceof Float32Array)) throw new Error('the image base takes Float32Array patches');
    return new ImageNet(base).forward(input, input.length / PATCH_FEATURES);
  }
  if (!(input instanceof Uint8Array)) throw new Error('the text base takes bytes');
  return new TextNet(base).forward(input, 1, input.length);
}

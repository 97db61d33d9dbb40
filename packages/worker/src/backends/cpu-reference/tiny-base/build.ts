// Deterministic generation of the tiny base weights from a fixed seed. Only integer PRNG
// steps, +, ×, and √ (correctly rounded) are used, so the bytes are identical on every
// platform; a test regenerates them and compares with the committed assets.
import { encodeSafetensors, type EncodableTensor } from '@lora-studio/protocol';
import { Prng } from '../prng.ts';
import { textLinears, TINY_IMAGE, TINY_NOTE, TINY_TEXT, type LinearSpec } from './spec.ts';

export type TinyKind = 'image' | 'text';

function uniform(rng: Prng, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.symmetric(bound);
  return out;
}

function linear(rng: Prng, spec: LinearSpec, into: [string, EncodableTensor][]): void {
  into.push([`${spec.name}.weight`, { dtype: 'F32', shape: [spec.out, spec.in], data: uniform(rng, spec.out * spec.in, spec.gain * Math.sqrt(3 / spec.in)) }]);
  if (spec.bias) into.push([`${spec.name}.bias`, { dtype: 'F32', shape: [spec.out], data: uniform(rng, spec.out, 1 / Math.sqrt(spec.in)) }]);
}

const ones = (n: number): EncodableTensor => ({ dtype: 'F32', shape: [n], data: new Float32Array(n).fill(1) });

export function buildTinyBaseTensors(kind: TinyKind): Record<string, EncodableTensor> {
  const out: [string, EncodableTensor][] = [];
  if (kind === 'image') {
    const rng = new Prng(TINY_IMAGE.seed);
    for (const spec of TINY_IMAGE.layers) linear(rng, spec, out);
    return Object.fromEntries(out);
  }
  const { vocab, dim, layers, seed } = TINY_TEXT;
  const rng = new Prng(seed);
  out.push(['model.embed_tokens.weight', { dtype: 'F32', shape: [vocab, dim], data: uniform(rng, vocab * dim, Math.sqrt(3)) }]);
  const linears = textLinears();
  for (let l = 0; l < layers; l++) {
    out.push([`model.layers.${l}.input_layernorm.weight`, ones(dim)]);
    out.push([`model.layers.${l}.post_attention_layernorm.weight`, ones(dim)]);
    for (const spec of linears.filter((s) => s.name.startsWith(`model.layers.${l}.`))) linear(rng, spec, out);
  }
  out.push(['model.norm.weight', ones(dim)]);
  linear(rng, { name: 'lm_head', out: vocab, in: dim, gain: 1, bias: false }, out);
  return Object.fromEntries(out);
}

export function buildTinyBaseBytes(kind: TinyKind): Uint8Array {
  const spec = kind === 'image' ? TINY_IMAGE : TINY_TEXT;
  return encodeSafetensors(buildTinyBaseTensors(kind), {
    format: 'pt',
    lora_studio_base: spec.id,
    lora_studio_config: JSON.stringify(spec),
    lora_studio_note: `${TINY_NOTE} This file is the frozen tiny base network, generated from seed ${spec.seed} by packages/worker/scripts/build-tiny-base.ts.`,
  });
}

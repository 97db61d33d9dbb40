// The tiny base networks are committed build outputs: regenerating them from their seeds must
// give the same bytes, so nobody can swap the weights without the generator noticing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSafetensors } from '@lora-studio/protocol';
import { buildTinyBaseBytes, loadTinyBase, tinyBasePath, TINY_IMAGE, TINY_TEXT } from '../src/backends/cpu-reference/index.ts';
import { Prng } from '../src/backends/cpu-reference/prng.ts';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('cpu-reference tiny base assets', () => {
  it.each(['image', 'text'] as const)('the committed %s base equals a fresh deterministic build', (kind) => {
    const committed = readFileSync(tinyBasePath(kind));
    const fresh = buildTinyBaseBytes(kind);
    expect(sha256(fresh)).toBe(sha256(committed));
    expect(committed.length).toBeLessThan(1.5 * 1024 * 1024);
    const file = decodeSafetensors(committed);
    expect(file.metadata.lora_studio_base).toBe(kind === 'image' ? TINY_IMAGE.id : TINY_TEXT.id);
    expect(file.metadata.lora_studio_note).toMatch(/not usable with Flux, SDXL, Llama or any real model/);
  });

  it('names its layers like the real architectures', () => {
    const image = loadTinyBase('image');
    expect([...image.tensors.keys()]).toContain('down_blocks.0.attentions.0.proj_in.weight');
    expect(image.tensors.get('up_blocks.0.attentions.0.proj_out.weight')!.shape).toEqual([768, 128]);
    const text = loadTinyBase('text');
    expect(text.tensors.get('model.embed_tokens.weight')!.shape).toEqual([256, 64]);
    expect(text.tensors.get('model.layers.1.self_attn.q_proj.weight')!.shape).toEqual([64, 64]);
    expect(text.tensors.get('model.layers.0.mlp.gate_proj.weight')!.shape).toEqual([128, 64]);
    expect(text.tensors.get('lm_head.weight')!.shape).toEqual([256, 64]);
  });

  it('draws from a fixed, platform-independent PRNG stream', () => {
    const rng = new Prng(1);
    const first = Array.from({ length: 4 }, () => rng.nextU32());
    expect(first).toEqual(Array.from({ length: 4 }, ((r) => () => r.nextU32())(new Prng(1))));
    expect(new Set(first).size).toBe(4);
    const u = new Prng(2);
    const draws = Array.from({ length: 10_000 }, () => u.uniform());
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(Math.abs(draws.reduce((a, b) => a + b, 0) / draws.length - 0.5)).toBeLessThan(0.02);
  });
});

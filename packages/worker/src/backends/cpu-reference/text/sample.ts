// Text samples for the monitor: the adapted model continues each sample prompt (rendered as a
// user turn) byte by byte, temperature-sampled with a fixed seed, over a sliding window.
import { writeFile } from 'node:fs/promises';
import { Prng } from '../prng.ts';
import { TINY_TEXT } from '../tiny-base/spec.ts';
import { renderChat } from './data.ts';
import type { TextNet } from './model.ts';

export const DEFAULT_SAMPLE_PROMPT = 'Hello! Who are you?';
const NEW_BYTES = 96;
const TEMPERATURE = 0.8;

export function generate(net: TextNet, prompt: string, window: number, seed: number): string {
  const rng = new Prng(seed);
  const bytes = [...new TextEncoder().encode(prompt)];
  const start = bytes.length;
  for (let i = 0; i < NEW_BYTES; i++) {
    const ctx = Uint8Array.from(bytes.slice(-window));
    const logits = net.forward(ctx, 1, ctx.length);
    bytes.push(sampleByte(logits.subarray((ctx.length - 1) * TINY_TEXT.vocab), rng));
  }
  const text = new TextDecoder().decode(Uint8Array.from(bytes.slice(start)));
  const end = text.indexOf('<|end|>');
  return end >= 0 ? text.slice(0, end) : text;
}

function sampleByte(logits: Float32Array, rng: Prng): number {
  let max = -Infinity;
  for (const v of logits) max = Math.max(max, v);
  const p = Array.from(logits, (v) => Math.exp((v - max) / TEMPERATURE));
  let u = rng.uniform() * p.reduce((a, b) => a + b, 0);
  for (let j = 0; j < p.length; j++) {
    u -= p[j]!;
    if (u <= 0) return j;
  }
  return p.length - 1;
}

export async function writeTextSample(net: TextNet, prompts: string[], window: number, seed: number, path: string): Promise<string> {
  const chosen = (prompts.length > 0 ? prompts : [DEFAULT_SAMPLE_PROMPT]).slice(0, 2);
  const blocks = chosen.map((prompt, i) => {
    const rendered = renderChat([{ role: 'user', content: prompt }]).replace(/<\|end\|>\n$/, '<|assistant|>\n');
    return `### prompt\n${prompt}\n### completion\n${generate(net, rendered, window, seed + i)}\n`;
  });
  await writeFile(path, blocks.join('\n'));
  return chosen[0]!;
}

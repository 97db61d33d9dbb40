import llama3Tokenizer from 'llama3-tokenizer-js';
import { describe, expect, it } from 'vitest';
import { Hash64Set, ADDED, FULL } from './hash-set.ts';
import { heuristicTokens, validateConversationStream } from './index.ts';
import { QuantileSketch } from './sketch.ts';
import { loadLlama3 } from './tokenizers/llama3.ts';

// Tokenizers, the quantile sketch and the duplicate table.

const enc = new TextEncoder();
async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield enc.encode(text);
}

const SAMPLES = [
  'The quick brown fox jumps over the lazy dog.',
  'Making crepes is an easy and delicious process! Here are step-by-step instructions on how to make them:\n\n1. Assemble your ingredients.',
  'def add(a, b):\n    return a + b  # 2024-01-01',
  '您好！我是 {{name}}，是由 {{author}} 开发的人工智能助手。',
];

describe('tokenizers', () => {
  it('counts exactly with the bundled Llama 3 tokenizer', async () => {
    const t = await loadLlama3();
    expect(t.count('Hello world!')).toBe(3);
    expect(t.count('')).toBe(0);
  });

  it('counts by cached pre-tokens exactly as encoding the whole text does', async () => {
    const t = await loadLlama3();
    const texts = [
      ...SAMPLES,
      "it's  odd   spacing\n\n\t x  ",
      "DON'T YOU'LL we'Re",
      'A1234567 99 €uro 😀😀\u00a0x — “quoted”',
      '   ',
      '\r\n\r\n',
      'a<|eot_id|>b <|start_header_id|>user',
      'x <| y |> z',
      'Ünïcödé façade naïve 東京タワー 서울',
    ];
    for (const s of texts) expect(t.count(s), JSON.stringify(s)).toBe(llama3Tokenizer.encode(s, { bos: false, eos: false }).length);
  });

  it('keeps the heuristic within 25 % of Llama 3 on varied text', async () => {
    const t = await loadLlama3();
    for (const s of SAMPLES) {
      const exact = t.count(s);
      expect(Math.abs(heuristicTokens(s) - exact) / exact, s).toBeLessThan(0.25);
    }
    expect(heuristicTokens('')).toBe(0);
  });

  it('names the tokenizer, and extrapolates from an exact sample in llama3-sample mode', async () => {
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ messages: [{ role: 'user', content: `${SAMPLES[i % 4]} #${i}` }, { role: 'assistant', content: SAMPLES[(i + 1) % 4] }] }));
    const sample = await validateConversationStream(once(lines.join('\n')), { contextLength: 4096, tokenizer: 'llama3-sample' });
    expect(sample.tokenizer).toMatchObject({ id: 'llama3-sample', exact: false, method: 'sample-extrapolated' });
    expect(sample.tokenizer.sample!.conversations).toBeGreaterThanOrEqual(200);
    const exact = await validateConversationStream(once(lines.join('\n')), { contextLength: 4096, tokenizer: 'llama3' });
    expect(exact.tokenizer).toMatchObject({ id: 'llama3', exact: true, method: 'full', sample: null });
    expect(Math.abs(sample.stats.tokens.total - exact.stats.tokens.total) / exact.stats.tokens.total).toBeLessThan(0.03);
    const heuristic = await validateConversationStream(once(lines.join('\n')), { contextLength: 4096 });
    expect(heuristic.tokenizer).toMatchObject({ id: 'heuristic', exact: false, method: 'full' });
  });

  it('decides over-length exactly near the limit in llama3-sample mode', async () => {
    const t = await loadLlama3();
    const content = 'Eat a banana!'.repeat(300); // 1,200 Llama 3 tokens; the heuristic says fewer
    const exactTotal = t.count('hi') + t.count(content) + 2 * 5 + 1;
    const line = JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content }] });
    const over = await validateConversationStream(once(line), { contextLength: exactTotal - 1, tokenizer: 'llama3-sample' });
    expect(over.errors.map((e) => e.code)).toEqual(['too_many_tokens']);
    const fits = await validateConversationStream(once(line), { contextLength: exactTotal, tokenizer: 'llama3-sample' });
    expect(fits.errors).toEqual([]);
    expect(fits.stats.tokens.total).toBe(exactTotal);
  });
});

describe('QuantileSketch', () => {
  it('gives percentiles within 1 % and exact min/max/mean', () => {
    const s = new QuantileSketch();
    const values: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const v = Math.floor(Math.exp((i % 977) / 100)); // 1 … ~16,000, skewed
      values.push(v);
      s.add(v);
    }
    values.sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const truth = values[Math.floor(q * (values.length - 1))]!;
      expect(Math.abs(s.quantile(q) - truth) / truth).toBeLessThanOrEqual(0.011);
    }
    const sum = s.summary();
    expect(sum).toMatchObject({ count: 100_000, min: values[0], max: values.at(-1) });
    expect(sum.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 0);
    expect(new QuantileSketch().summary()).toEqual({ count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 });
  });
});

describe('Hash64Set', () => {
  it('remembers the first line through resizes and refuses new keys at its cap', () => {
    const set = new Hash64Set(50_000, 16);
    let added = 0;
    for (let i = 1; i <= 50_000; i++) if (set.add(i * 2654435761 >>> 0 || 1, i, i) === ADDED) added++;
    expect(added).toBe(50_000);
    expect(set.add(7 * 2654435761 >>> 0, 7, 999)).toBe(7);
    expect(set.add(123, 456, 1)).toBe(FULL);
    expect(set.size).toBe(50_000);
  });
});

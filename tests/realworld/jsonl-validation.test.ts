import { createReadStream, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { TextQualityReportSchema, validateConversationStream, type TextQualityReport, type TokenizerId } from '@/server/text-datasets/validation/index.ts';

// The text validator against real third-party files in ../shared/fixtures/llm (never
// committed): the OpenAI cookbook toy file with its deliberate errors, and LLaMA-Factory's demo
// datasets in each of their formats. Also prints how far the token heuristic is from the exact
// Llama 3 tokenizer on each file (the calibration behind tokenizers/heuristic.ts).

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const LLM = path.resolve(ROOT, '../shared/fixtures/llm');
const file = (p: string) => path.join(LLM, p);

async function validate(p: string, contextLength = 4096, tokenizer: TokenizerId = 'heuristic'): Promise<TextQualityReport> {
  const r = await validateConversationStream(createReadStream(file(p), { highWaterMark: 4096 }), { contextLength, tokenizer });
  return TextQualityReportSchema.parse(r);
}
const located = (issues: TextQualityReport['errors']) => issues.map((e) => [e.line, e.path, e.code]);

beforeAll(() => {
  if (!existsSync(LLM)) throw new Error(`real-world fixtures not found at ${LLM}`);
});

describe('OpenAI cookbook toy_chat_fine_tuning.jsonl', () => {
  it('finds the deliberate problems on their lines', async () => {
    for (const tokenizer of ['heuristic', 'approx-bytes', 'llama3'] as const) {
      const r = await validate('openai_cookbook/toy_chat_fine_tuning.jsonl', 4096, tokenizer);
      expect(r.formats.detected).toBe('openai');
      expect(r.records).toEqual({ total: 5, good: 3, bad: 2, blank_lines: 0, duplicates: 0 });
      // line 4: system + assistant only; line 5: "Eat a banana!" × 2000 (≈ 8,000 Llama 3 tokens)
      expect(located(r.errors)).toEqual([
        [4, 'messages', 'missing_user_turn'],
        [5, 'messages', 'too_many_tokens'],
      ]);
      // line 3 has no system message: a statistic and a warning, as the cookbook counts it
      expect(located(r.warnings)).toEqual([[3, '', 'missing_system_message']]);
      expect(r.stats.missing_system).toBe(1);
      expect(r.tokenizer.id).toBe(tokenizer);
    }
  });

  it('accepts the over-length line with a context that fits it', async () => {
    const r = await validate('openai_cookbook/toy_chat_fine_tuning.jsonl', 16_385, 'llama3');
    expect(located(r.errors)).toEqual([[4, 'messages', 'missing_user_turn']]);
    expect(r.stats.tokens.per_conversation.max).toBeGreaterThan(8000);
  });
});

describe('LLaMA-Factory demo datasets', () => {
  it('alpaca_en_demo.json → alpaca', async () => {
    const r = await validate('llama_factory/alpaca_en_demo.json');
    expect(r.container).toBe('json_array');
    expect(r.formats).toEqual({ detected: 'alpaca', counts: { alpaca: 999 }, mixed: false });
    expect(r.records).toMatchObject({ total: 999, good: 999, bad: 0, duplicates: 14 });
    expect(r.verdict).toBe('ready');
    expect(r.preview[0]!.messages[0]!.content).toBe('Describe a process of making crepes.');
  });

  it('identity.json → alpaca', async () => {
    const r = await validate('llama_factory/identity.json');
    expect(r.formats.detected).toBe('alpaca');
    expect(r.records).toMatchObject({ total: 91, good: 91, bad: 0 });
    expect(r.errors).toEqual([]);
  });

  it('glaive_toolcall_en_demo.json → sharegpt with tools, function calls and observations', async () => {
    const r = await validate('llama_factory/glaive_toolcall_en_demo.json');
    expect(r.formats).toEqual({ detected: 'sharegpt', counts: { sharegpt: 300 }, mixed: false });
    expect(r.errors).toEqual([]);
    expect(r.records).toMatchObject({ total: 300, good: 300, duplicates: 35 });
    expect(r.stats.roles.tool).toBeGreaterThan(0); // observation → tool
    expect(r.verdict).toBe('ready');
  });

  it('mllm_demo.json → sharegpt messages variant, with a warning about images not included', async () => {
    const r = await validate('llama_factory/mllm_demo.json');
    expect(r.formats).toEqual({ detected: 'sharegpt_messages', counts: { sharegpt_messages: 6 }, mixed: false });
    expect(r.errors).toEqual([]);
    expect(r.warning_counts).toEqual({ media_not_included: 6 });
    expect(r.warnings[0]).toMatchObject({ line: 2, path: 'images', message: expect.stringContaining('mllm_demo_data/1.jpg') });
    expect(r.preview[0]!.messages[0]!.content).toBe('Who are they?');
  });

  it('dpo_en_demo.json → preference data refused for SFT', async () => {
    const r = await validate('llama_factory/dpo_en_demo.json');
    expect(r.verdict).toBe('rejected');
    expect(r.formats.counts).toEqual({ preference: 300 });
    expect(r.error_counts).toEqual({ preference_data: 300 });
    expect(r.errors[0]).toMatchObject({ line: 2, path: 'chosen', message: expect.stringContaining('not supported for SFT LoRA') });
    expect(r.reasons).toEqual(['Preference data (chosen/rejected) is not supported for SFT LoRA.']);
  });

  it('v1_sft_demo.jsonl → LLaMA-Factory v1 (content parts named `value`, default loss weights)', async () => {
    const r = await validate('llama_factory/v1_sft_demo.jsonl');
    expect(r.formats).toEqual({ detected: 'llamafactory_v1', counts: { llamafactory_v1: 500 }, mixed: false });
    expect(r.records).toMatchObject({ total: 500, good: 500, bad: 0, duplicates: 1 });
    expect(r.warning_counts).toEqual({ duplicate_conversation: 1 });
    expect(r.preview[0]!.messages).toEqual([
      { role: 'user', content: 'hi', truncated: false },
      { role: 'assistant', content: 'Hello! I am {{name}}, an AI assistant developed by {{author}}. How can I assist you today?', truncated: false },
    ]);
  });
});

describe('token estimates against the exact Llama 3 tokenizer', () => {
  const FILES = ['llama_factory/alpaca_en_demo.json', 'llama_factory/identity.json', 'llama_factory/glaive_toolcall_en_demo.json', 'llama_factory/v1_sft_demo.jsonl', 'openai_cookbook/toy_chat_fine_tuning.jsonl'];
  it.each(FILES)('%s', async (p) => {
    const exact = await validate(p, 1 << 20, 'llama3');
    const rows: string[] = [];
    for (const id of ['heuristic', 'approx-bytes', 'llama3-sample'] as const) {
      const r = await validate(p, 1 << 20, id);
      const err = r.stats.tokens.total / exact.stats.tokens.total - 1;
      rows.push(`${id} ${(err * 100).toFixed(1)} %`);
      if (id === 'heuristic') expect(Math.abs(err)).toBeLessThan(p.includes('cookbook') ? 0.25 : 0.07);
      if (id === 'llama3-sample') expect(Math.abs(err)).toBeLessThan(0.02);
    }
    console.log(`[tokens] ${p}: exact ${exact.stats.tokens.total}; ${rows.join(', ')}`);
  });
});

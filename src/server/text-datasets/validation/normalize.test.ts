import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { normalizeConversationStream, type NormalizedRecord } from './index.ts';

// The training file: exactly the usable conversations of the validation pass, normalized.

const enc = new TextEncoder();
async function* chunks(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = enc.encode(text);
  for (let i = 0; i < b.length; i += size) yield b.slice(i, i + size);
}

const INPUT = [
  JSON.stringify({ conversations: [{ from: 'human', value: 'hi' }, { from: 'gpt', value: 'hello' }], system: 'Be nice.' }),
  '{"broken": ',
  JSON.stringify({ instruction: 'hi', output: 'hello', system: 'Be nice.' }), // duplicate of line 1
  JSON.stringify({ conversation_id: 7, turns: [{ speaker: 'user', text: 'long' }, { speaker: 'assistant', text: 'word '.repeat(400) }] }), // over 200 tokens
  JSON.stringify({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }),
].join('\n');

async function collect(split?: 'all' | 'train' | 'validation', size = 1 << 16) {
  const lines: string[] = [];
  const it = normalizeConversationStream(chunks(INPUT, size), { contextLength: 200, split, validationFraction: 0.5 });
  let next = await it.next();
  while (!next.done) {
    lines.push(next.value);
    next = await it.next();
  }
  return { lines, report: next.value };
}

describe('normalizeConversationStream', () => {
  it('writes only usable conversations, in OpenAI messages form, one JSON line each', async () => {
    const { lines, report } = await collect();
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const records = lines.map((l) => JSON.parse(l) as NormalizedRecord);
    expect(records).toEqual([
      { messages: [{ role: 'system', content: 'Be nice.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] },
      { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] },
    ]);
    expect(report.stats.conversations).toBe(2);
    expect(report.records).toMatchObject({ good: 3, bad: 2, duplicates: 1 });
    expect(report.errors.map((e) => [e.line, e.code])).toEqual([
      [2, 'invalid_json'],
      [4, 'too_many_tokens'],
    ]);
  });

  it('splits into train and validation exactly as the report counts, whatever the chunking', async () => {
    const all = await collect('all');
    const train = await collect('train', 3);
    const validation = await collect('validation', 1);
    expect(train.lines.length).toBe(all.report.stats.split.train);
    expect(validation.lines.length).toBe(all.report.stats.split.validation);
    expect([...train.lines, ...validation.lines].sort()).toEqual([...all.lines].sort());
  });

  it('pipes into a Node stream', async () => {
    let out = '';
    for await (const chunk of Readable.from(normalizeConversationStream(chunks(INPUT, 64), { contextLength: 200 }))) out += chunk;
    expect(out.trim().split('\n')).toHaveLength(2);
  });
});

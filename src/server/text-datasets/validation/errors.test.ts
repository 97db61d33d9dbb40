import { describe, expect, it } from 'vitest';
import { TextQualityReportSchema, validateConversationStream, type Issue, type TextQualityReport } from './index.ts';

// Every error code on a known line and field, in one JSONL file and one per concern.

const enc = new TextEncoder();
async function* chunks(text: string | Uint8Array, size = 1 << 16): AsyncGenerator<Uint8Array> {
  const b = typeof text === 'string' ? enc.encode(text) : text;
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}
const validate = async (text: string | Uint8Array, opts: Partial<Parameters<typeof validateConversationStream>[1]> = {}, size = 1 << 16) => {
  const r = await validateConversationStream(chunks(text, size), { contextLength: 4096, maxErrorRate: 1, ...opts });
  TextQualityReportSchema.parse(r);
  return r;
};
const at = (r: TextQualityReport, line: number): Pick<Issue, 'path' | 'code'>[] => r.errors.filter((e) => e.line === line).map(({ path, code }) => ({ path, code }));
const j = (o: unknown) => JSON.stringify(o);
const u = (content: unknown) => ({ role: 'user', content });
const a = (content: unknown) => ({ role: 'assistant', content });

const LINES: [string, Pick<Issue, 'path' | 'code'>[]][] = [
  /* 1 */ [j({ messages: [u('hi'), a('hello')] }), []],
  /* 2 */ ['{"messages": [', [{ path: '', code: 'invalid_json' }]],
  /* 3 */ ['[1, 2]', [{ path: '', code: 'not_an_object' }]],
  /* 4 */ [j({ prompt: 'x', completion: 'y' }), [{ path: '', code: 'unknown_format' }]],
  /* 5 */ [j({ text: 'a document' }), [{ path: 'text', code: 'unsupported_format' }]],
  /* 6 */ [j({ conversations: [{ from: 'human', value: 'q' }], chosen: { from: 'gpt', value: 'a' }, rejected: { from: 'gpt', value: 'b' } }), [{ path: 'chosen', code: 'preference_data' }]],
  /* 7 */ [j({ messages: [u('q'), { role: 'bot', content: 'a' }] }), [{ path: 'messages[1].role', code: 'unknown_role' }]],
  /* 8 */ [j({ messages: [u('q'), { content: 'a' }] }), [{ path: 'messages[1].role', code: 'missing_field' }]],
  /* 9 */ [j({ messages: [u('q'), a(42)] }), [{ path: 'messages[1].content', code: 'invalid_type' }]],
  /* 10 */ [j({ messages: [u('q'), a('   \n')] }), [{ path: 'messages[1].content', code: 'empty_content' }]],
  /* 11 */ [j({ messages: [] }), [{ path: 'messages', code: 'empty_conversation' }]],
  /* 12 */ [j({ messages: [{ role: 'system', content: 's' }, a('a')] }), [{ path: 'messages', code: 'missing_user_turn' }]],
  /* 13 */ [j({ messages: [u('q'), u('q2'), a('a')] }), [{ path: 'messages[1].role', code: 'invalid_role_order' }]],
  /* 14 */ [j({ messages: [u('q'), a('a'), u('again')] }), [{ path: 'messages[2].role', code: 'last_turn_not_assistant' }]],
  /* 15 */ [j({ messages: [u('q'), { role: 'tool', content: '{}' }, a('a')] }), [{ path: 'messages[1].role', code: 'invalid_role_order' }]],
  /* 16 */ [j({ messages: [u([{ type: 'image_url', image_url: { url: 'x' } }]), a('a')] }), [{ path: 'messages[0].content[0]', code: 'unsupported_content' }]],
  /* 17 */ [j({ messages: [u('q'), a('word '.repeat(5000))] }), [{ path: 'messages', code: 'too_many_tokens' }]],
  /* 18 */ [j({ instruction: 'do it' }), [{ path: 'output', code: 'missing_field' }]],
  /* 19 */ [j({ conversation_id: 'c1', turns: [{ speaker: 'user', text: 'q' }, { speaker: 'robot', text: 'a' }] }), [{ path: 'turns[1].speaker', code: 'unknown_role' }]],
  /* 20 */ [j({ turns: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }), [{ path: 'conversation_id', code: 'missing_field' }]],
  /* 21 */ [j({ messages: [{ role: 'system', content: 's' }, u('q'), { role: 'system', content: 's2' }, a('a')] }), [{ path: 'messages[2].role', code: 'invalid_role_order' }]],
  /* 22 */ [j({ messages: [a('hello first'), u('q'), a('a')] }), [{ path: 'messages[0].role', code: 'invalid_role_order' }]],
  /* 23 */ [j({ conversations: [{ from: 'human', value: 'q' }, { from: 'gpt', value: '' }], tools: '[{bad json' }), [{ path: 'tools', code: 'invalid_json' }, { path: 'conversations[1].value', code: 'empty_content' }]],
  /* 24 */ [j({ messages: 'not a list' }), [{ path: 'messages', code: 'invalid_type' }]],
  /* 25 */ [j({ instruction: 'q', output: 'a', history: [['only one']] }), [{ path: 'history[0]', code: 'invalid_type' }]],
  /* 26 */ [j({ instruction: 'hi', input: '', output: 'hello' }), []], // line 1 again, as Alpaca
];

describe('every error on its line and field', () => {
  it('finds each error of a mixed file, counts good and bad lines', async () => {
    const r = await validate(LINES.map(([l]) => l).join('\n') + '\n');
    LINES.forEach(([, expected], i) => expect(at(r, i + 1), `line ${i + 1}`).toEqual(expected));
    const bad = LINES.filter(([, e]) => e.length).length;
    expect(r.records).toMatchObject({ total: LINES.length, bad, good: LINES.length - bad, duplicates: 1 });
    expect(r.error_count).toBe(LINES.reduce((n, [, e]) => n + e.length, 0));
    expect(r.warnings).toContainEqual(expect.objectContaining({ line: 26, code: 'duplicate_conversation', message: expect.stringContaining('line 1') }));
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(10);
  });

  it('reports several errors of one record, not only the first', async () => {
    const r = await validate(j({ messages: [u(''), { role: 'wizard', content: 'x' }, a(' ')] }) + '\n');
    expect(at(r, 1)).toEqual([
      { path: 'messages[1].role', code: 'unknown_role' },
      { path: 'messages[0].content', code: 'empty_content' },
      { path: 'messages[2].content', code: 'empty_content' },
    ]);
  });

  it('reports invalid UTF-8 and over-long lines on their lines without reading them', async () => {
    const good = enc.encode(j({ messages: [u('é'), a('ok')] }) + '\n');
    const bad = new Uint8Array([...enc.encode('{"messages":[{"role":"user","content":"'), 0xc3, 0x28, ...enc.encode('"}]}\n')]);
    const long = enc.encode(j({ messages: [u('x'.repeat(3000)), a('y')] }) + '\n');
    // 64 KiB chunks: the long line is cut from a decoded region; 7-byte chunks: it is never
    // held whole (the splitter drops it once it passes the limit).
    for (const size of [1 << 16, 7]) {
      const r = await validate(new Uint8Array([...good, ...bad, ...long, ...good]), { maxLineBytes: 1000 }, size);
      expect(r.errors.map((e) => [e.line, e.code])).toEqual([
        [2, 'invalid_utf8'],
        [3, 'line_too_long'],
      ]);
      expect(r.errors[0]!.message).toContain('0xC3');
      expect(r.records).toMatchObject({ total: 4, good: 2, bad: 2, duplicates: 1 });
    }
  });

  it('caps stored errors but counts all of them', async () => {
    const r = await validate('{bad\n'.repeat(50), { maxErrors: 5 });
    expect(r.errors).toHaveLength(5);
    expect(r.error_count).toBe(50);
    expect(r.error_counts).toEqual({ invalid_json: 50 });
    expect(r.errors_truncated).toBe(true);
    expect(r.records.bad).toBe(50);
  });

  it('does not pile knock-on ordering errors on a turn that could not be read', async () => {
    const r = await validate(j({ messages: [u('q'), { role: 'assistant' }, u('q2'), a('a')] }) + '\n');
    expect(at(r, 1)).toEqual([{ path: 'messages[1].content', code: 'missing_field' }]);
  });
});

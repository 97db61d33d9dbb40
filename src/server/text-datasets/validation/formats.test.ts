import { describe, expect, it } from 'vitest';
import { ValidationError } from '@/server/errors.ts';
import { detectFormat, toOpenAiMessages, validateConversationStream } from './index.ts';

// Every accepted format detected and normalized to OpenAI messages; the shapes follow the
// LLaMA-Factory data README (alpaca, sharegpt, the role/content variant, v1) and DESIGN.md §3.

const enc = new TextEncoder();
async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield enc.encode(text);
}

const CASES = {
  openai: {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'Weather in ' }, { type: 'text', text: 'Paris?' }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"temp": 21}' },
      { role: 'assistant', content: 'It is 21 °C.', weight: 1 },
    ],
    tools: [{ type: 'function', function: { name: 'weather', parameters: { type: 'object' } } }],
  },
  llamafactory_v1: {
    messages: [
      { role: 'user', content: [{ type: 'text', value: 'hi' }], loss_weight: 0.0 },
      { role: 'assistant', content: [{ type: 'text', value: 'Hello!' }], loss_weight: 1.0 },
    ],
  },
  sharegpt: {
    conversations: [
      { from: 'human', value: 'Find a recipe with rice.' },
      { from: 'function_call', value: '{"name": "search", "arguments": {"q": "rice"}}' },
      { from: 'observation', value: '{"recipes": ["risotto"]}' },
      { from: 'gpt', value: 'Try a risotto.' },
    ],
    system: 'You are a cook.',
    tools: '[{"name": "search", "parameters": {}}]',
  },
  sharegpt_messages: {
    messages: [
      { content: '<image>Who are they?', role: 'user' },
      { content: 'Two players.', role: 'assistant' },
    ],
    images: ['mllm_demo_data/1.jpg'],
  },
  alpaca: { instruction: 'Translate', input: 'bonjour', output: 'hello', system: 'You translate.', history: [['hi', 'hello there']] },
  turns_v3: { conversation_id: 'c-3', turns: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] },
  turns_v4: { conversation_id: 42, turns: [{ speaker: 'user', text: 'q' }, { speaker: 'assistant', text: 'a' }] },
} as const;

describe('format detection and normalization', () => {
  it.each(Object.entries(CASES))('detects %s', (format, record) => {
    expect(detectFormat(record as Record<string, unknown>)).toBe(format);
  });

  it('normalizes OpenAI content parts, tool calls and tool definitions', () => {
    const out = toOpenAiMessages(CASES.openai);
    expect(out.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(out.messages[1]!.content).toBe('Weather in Paris?');
    expect(JSON.parse(out.messages[2]!.content)).toEqual([{ name: 'weather', arguments: '{"city":"Paris"}' }]);
    expect(out.tools).toEqual(CASES.openai.tools);
  });

  it('normalizes LLaMA-Factory v1 parts named `value`', () => {
    expect(toOpenAiMessages(CASES.llamafactory_v1).messages).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'Hello!' },
    ]);
  });

  it('maps ShareGPT tags (function_call → assistant, observation → tool) and the system column', () => {
    const out = toOpenAiMessages(CASES.sharegpt);
    expect(out.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'tool', 'assistant']);
    expect(out.messages[0]!.content).toBe('You are a cook.');
    expect(out.tools).toEqual([{ name: 'search', parameters: {} }]);
  });

  it('builds Alpaca as system + history + "instruction\\ninput" → output', () => {
    expect(toOpenAiMessages(CASES.alpaca).messages).toEqual([
      { role: 'system', content: 'You translate.' },
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'hello there' },
      { role: 'user', content: 'Translate\nbonjour' },
      { role: 'assistant', content: 'hello' },
    ]);
  });

  it('reads both generations of the in-house turns format', () => {
    const expected = [
      { role: 'user', content: 'q' },
      { role: 'assistant', content: 'a' },
    ];
    expect(toOpenAiMessages(CASES.turns_v3).messages).toEqual(expected);
    expect(toOpenAiMessages(CASES.turns_v4, 'turns_v4').messages).toEqual(expected);
  });

  it('throws a ValidationError with field paths for a record it would reject', () => {
    let err: unknown;
    try {
      toOpenAiMessages({ messages: [{ role: 'user', content: 'q' }, { role: 'user', content: '' }] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).details).toEqual({
      issues: [
        { path: 'messages[1].content', code: 'empty_content', message: expect.any(String) },
        { path: 'messages[1].role', code: 'invalid_role_order', message: expect.any(String) },
        { path: 'messages[1].role', code: 'last_turn_not_assistant', message: expect.any(String) },
      ],
    });
    expect(() => toOpenAiMessages({ conversations: [], chosen: {}, rejected: {} })).toThrow(/Preference/);
  });

  it('warns about media that a text dataset cannot include and strips the placeholders', async () => {
    const r = await validateConversationStream(once(JSON.stringify([CASES.sharegpt_messages])), { contextLength: 4096 });
    expect(r.formats.detected).toBe('sharegpt_messages');
    expect(r.warnings).toEqual([expect.objectContaining({ line: 1, path: 'images', code: 'media_not_included' })]);
    expect(r.preview[0]!.messages[0]!.content).toBe('Who are they?');
  });

  it('counts formats per record and warns once about a mixed file', async () => {
    const lines = [CASES.turns_v3, CASES.turns_v4, CASES.alpaca, { conversation_id: 'x', turns: [{ role: 'user', content: 'z' }, { role: 'assistant', content: 'y' }] }];
    const r = await validateConversationStream(once(lines.map((l) => JSON.stringify(l)).join('\n')), { contextLength: 4096 });
    expect(r.formats).toEqual({ detected: 'turns_v3', counts: { turns_v3: 2, turns_v4: 1, alpaca: 1 }, mixed: true });
    expect(r.warnings.filter((w) => w.code === 'mixed_formats')).toEqual([expect.objectContaining({ line: 2 })]);
    expect(r.records.duplicates).toBe(1); // v4 line 2 has the same turns as v3 line 1
    expect(r.preview.map((p) => p.conversation_id)).toEqual(['c-3', null, 'x']);
  });

  it('warns when per-message weights would be ignored', async () => {
    const rec = { messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a', weight: 0 }] };
    const r = await validateConversationStream(once(JSON.stringify(rec)), { contextLength: 4096 });
    expect(r.warnings).toEqual([expect.objectContaining({ line: 1, path: 'messages[1].weight', code: 'ignored_field' })]);
  });
});

import { describe, expect, it } from 'vitest';
import { TextQualityReportSchema, validateConversationStream, type ValidateOptions } from './index.ts';

// Report-level behaviour: verdict and its threshold, statistics, the deterministic split, the
// preview, dataset-level warnings, and the schema.

const enc = new TextEncoder();
async function* once(text: string): AsyncGenerator<Uint8Array> {
  yield enc.encode(text);
}
const conv = (i: number, system = true) =>
  JSON.stringify({
    messages: [...(system ? [{ role: 'system', content: 'You are helpful.' }] : []), { role: 'user', content: `Question number ${i}?` }, { role: 'assistant', content: `Answer ${i}.` }],
  });
const run = (lines: string[], opts: Partial<ValidateOptions> = {}) => validateConversationStream(once(lines.join('\n')), { contextLength: 4096, ...opts });

describe('report', () => {
  it('is ready below the error-rate threshold and rejected above it', async () => {
    const good = Array.from({ length: 18 }, (_, i) => conv(i));
    const ready = await run([...good, '{', '{']); // 2 / 20 = 10 %: at the limit
    expect(ready.verdict).toBe('ready');
    expect(ready.reasons).toEqual(['2 bad record(s) (10.0 %) will be left out of training.']);
    const rejected = await run([...good, '{', '{', '{']); // 3 / 21 > 10 %
    expect(rejected.verdict).toBe('rejected');
    expect(rejected.reasons[0]).toMatch(/14\.3 % of records have errors/);
    expect((await run([...good, '{', '{', '{'], { maxErrorRate: 0.2 })).verdict).toBe('ready');
  });

  it('rejects a file without any valid conversation', async () => {
    const r = await run(['{"messages": []}', '{"messages": [{"role": "user", "content": "q"}]}'], { maxErrorRate: 1 });
    expect(r.verdict).toBe('rejected');
    expect(r.reasons).toEqual(['No valid conversation was found.']);
  });

  it('computes conversation, turn, role and token statistics', async () => {
    const r = await run([conv(1), conv(2, false)], { tokenizer: 'approx-bytes' });
    expect(r.stats).toMatchObject({ conversations: 2, turns: 5, roles: { system: 1, user: 2, assistant: 2, tool: 0 }, missing_system: 1 });
    // approx-bytes: ceil(bytes / 4) per turn, + 5 per message + 1 per conversation
    const perTurn = ['You are helpful.', 'Question number 1?', 'Answer 1.', 'Question number 2?', 'Answer 2.'].map((s) => Math.ceil(s.length / 4));
    expect(r.stats.tokens.per_turn).toMatchObject({ count: 5, min: 3, max: 5 });
    expect(r.stats.tokens.total).toBe(perTurn.reduce((a, b) => a + b, 0) + 5 * 5 + 2);
    expect(r.stats.tokens.per_conversation.count).toBe(2);
    expect(r.tokenizer).toMatchObject({ id: 'approx-bytes', exact: false, method: 'full', template_overhead: { per_message: 5, per_conversation: 1 } });
  });

  it('splits deterministically by content hash, close to the requested fraction', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => conv(i));
    const a = await run(lines, { validationFraction: 0.2 });
    const b = await run([...lines].reverse(), { validationFraction: 0.2 });
    expect(a.stats.split.train + a.stats.split.validation).toBe(2000);
    expect(a.stats.split.validation).toBeGreaterThan(340);
    expect(a.stats.split.validation).toBeLessThan(460);
    expect(b.stats.split).toEqual(a.stats.split); // same conversations → same split, whatever the order
  });

  it('previews the first conversations, truncated for display', async () => {
    const long = JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(600) }, { role: 'assistant', content: 'ok' }] });
    const r = await run(['{', long, conv(1), conv(2), conv(3)]);
    expect(r.preview.map((p) => p.line)).toEqual([2, 3, 4]);
    expect(r.preview[0]!.messages[0]).toEqual({ role: 'user', content: `${'x'.repeat(500)}…`, truncated: true });
    expect(r.preview[0]!.format).toBe('openai');
    expect((await run([conv(1), conv(2)], { previewCount: 1 })).preview).toHaveLength(1);
  });

  it('warns about a missing system message only when other conversations have one', async () => {
    const mixed = await run([conv(1), conv(2), conv(3, false)]);
    expect(mixed.warnings).toEqual([expect.objectContaining({ line: 3, code: 'missing_system_message' })]);
    const none = await run([conv(1, false), conv(2, false)]);
    expect(none.warnings).toEqual([]);
    expect(none.stats.missing_system).toBe(2);
  });

  it('stops duplicate detection at the memory cap and says so', async () => {
    const r = await run([conv(1), conv(2), conv(3), conv(1)], { maxDedupeConversations: 2 });
    expect(r.records.duplicates).toBe(0);
    expect(r.warnings).toEqual([expect.objectContaining({ line: 3, code: 'duplicates_not_checked' })]);
  });

  it('matches its Zod schema and round-trips through JSON', async () => {
    const r = await run([conv(1), '{', conv(1)]);
    expect(TextQualityReportSchema.parse(JSON.parse(JSON.stringify(r)))).toEqual(r);
    expect(r.schema_version).toBe(1);
  });
});

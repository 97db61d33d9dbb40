// text.ts: what Postgres can store. The route wrapper refuses what findUnstorableText finds;
// workers' and providers' text goes through storableJson / sanitizeEventText.
import { describe, expect, it } from 'vitest';
import { findUnstorableText, sanitizeEventText, sanitizeLogLine, storableJson, toStorableText, unstorableTextProblem } from '../src/text.ts';

describe('storable text', () => {
  it('NUL and unpaired surrogates are found and replaced one for one; pairs, tabs and newlines are fine', () => {
    for (const ok of ['', 'plain', 'Zoë 😀', 'tab\tnew\nline', '\ud83d\ude00']) expect(unstorableTextProblem(ok)).toBeNull();
    for (const bad of ['a\u0000', '\ud800', 'x\udc00y', '\ude00\ud83d']) expect(unstorableTextProblem(bad)).not.toBeNull();
    expect(toStorableText('a\u0000b\ud800c\udc00😀')).toBe('a\uFFFDb\uFFFDc\uFFFD😀');
    expect(sanitizeLogLine('\u001b[2K\u001b[1mok\u001b[0m\t\u0000\r')).toBe('ok\t\uFFFD');
  });

  it('finds every offending field by path, property names included, and survives any nesting depth', () => {
    expect(findUnstorableText({ name: 'ok', files: [{ name: 'a' }, { name: 'b\u0000' }], ['k\u0000']: 1 })).toEqual([
      { path: 'k\uFFFD', message: expect.stringMatching(/property name/) },
      { path: 'files.1.name', message: expect.stringMatching(/NUL/) },
    ]);
    expect(findUnstorableText({ a: { b: ['ok', { ['c\ud800']: 'x' }] } })[0]!.path).toBe('a.b.1.c\uFFFD');
    expect(findUnstorableText('\u0000')[0]!.path).toBe('(root)');
    const deep = JSON.parse(`${'['.repeat(200_000)}"\\u0000"${']'.repeat(200_000)}`) as unknown;
    const [hit] = findUnstorableText(deep);
    expect(hit!.path).toBe(Array(200_000).fill('0').join('.'));
    expect(() => storableJson(deep)).not.toThrow();
  });

  it('storableJson copies, keeps "__proto__" an own key, and leaves non-plain values alone', () => {
    const input = JSON.parse('{"__proto__": {"x": "a\\u0000"}, "list": ["\\ud800", 1, null, true]}') as Record<string, unknown>;
    const out = storableJson(input);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toEqual({ x: 'a\uFFFD' });
    expect(out.list).toEqual(['\uFFFD', 1, null, true]);
    expect(input.list).toEqual(['\ud800', 1, null, true]);
    const when = new Date(0);
    expect(storableJson({ when }).when).toBe(when);
  });

  it('sanitizeEventText cleans log lines of job.log and job.failed only; other text keeps its control characters', () => {
    const log = sanitizeEventText({ type: 'job.log', data: { stream: 'stdout', lines: ['\u001b[31mred\u0007'] } });
    expect(log.data.lines).toEqual(['red']);
    const failed = sanitizeEventText({ type: 'job.failed', data: { message: 'two\nlines\u0000', last_lines: ['a\u0001'] } });
    expect(failed.data).toEqual({ message: 'two\nlines\uFFFD', last_lines: ['a'] });
    expect(sanitizeEventText('\u0000')).toBe('\uFFFD');
  });
});

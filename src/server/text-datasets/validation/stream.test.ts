import { describe, expect, it } from 'vitest';
import { validateConversationStream, type TextQualityReport } from './index.ts';

// Byte-level behaviour: containers, line endings, BOM, blank lines, chunk boundaries anywhere
// (1-byte chunks split every multi-byte character and every line), web streams, abort.

const enc = new TextEncoder();
async function* chunks(text: string | Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const b = typeof text === 'string' ? enc.encode(text) : text;
  for (let i = 0; i < b.length; i += size) yield b.slice(i, i + size);
}
const run = (text: string | Uint8Array, size = 1 << 16, contextLength = 4096) => validateConversationStream(chunks(text, size), { contextLength });
const conv = (q: string, a: string) => JSON.stringify({ messages: [{ role: 'user', content: q }, { role: 'assistant', content: a }] });
const errorLines = (r: TextQualityReport) => r.errors.map((e) => [e.line, e.code]);

// Multi-byte text on purpose: 2-, 3- and 4-byte UTF-8 sequences.
const JSONL = [conv('Café ? 東京', 'Très bien 😀'), '', '   ', conv('second', 'réponse'), '{"messages": oops}', conv('third', 'ok')].join('\n');

describe('streaming input', () => {
  it('numbers JSONL physical lines and skips blank lines', async () => {
    const r = await run(JSONL + '\n');
    expect(r.container).toBe('jsonl');
    expect(r.lines).toBe(6);
    expect(r.records).toEqual({ total: 4, good: 3, bad: 1, blank_lines: 2, duplicates: 0 });
    expect(errorLines(r)).toEqual([[5, 'invalid_json']]);
    expect(r.preview.map((p) => p.line)).toEqual([1, 4, 6]);
    expect(r.preview[0]!.messages[1]!.content).toBe('Très bien 😀');
  });

  it('gives the same report for 1-byte chunks (characters and lines split everywhere)', async () => {
    const whole = await run(JSONL);
    const bytewise = await run(JSONL, 1);
    expect(bytewise).toEqual(whole);
    expect(whole.lines).toBe(6); // no final newline: the last line still counts
  });

  it('handles CRLF line endings and a UTF-8 BOM', async () => {
    const crlf = '\uFEFF' + JSONL.split('\n').join('\r\n') + '\r\n';
    for (const size of [1, 2, 7, 1 << 16]) {
      const r = await run(crlf, size);
      expect(r.records).toEqual({ total: 4, good: 3, bad: 1, blank_lines: 2, duplicates: 0 });
      expect(errorLines(r)).toEqual([[5, 'invalid_json']]);
      expect(r.preview[0]!.messages[0]!.content).toBe('Café ? 東京');
    }
  });

  it('reads a JSON array element by element, numbering the line where each element starts', async () => {
    const arr = `\uFEFF\n[\n  {"instruction": "a", "output": "b"},\n  {\n    "instruction": "Plus d'été ☀️",\n    "output": "oui"\n  },\n  {"instruction": "x", "output": ""}, {"instruction": "y", "output": "z"}\n]\n`;
    for (const size of [1, 3, 1 << 16]) {
      const r = await run(arr, size);
      expect(r.container).toBe('json_array');
      expect(r.lines).toBe(9);
      expect(r.records).toMatchObject({ total: 4, good: 3, bad: 1 });
      expect(r.errors.map((e) => [e.line, e.path, e.code])).toEqual([[8, 'output', 'empty_content']]);
      expect(r.preview.map((p) => p.line)).toEqual([3, 4, 8]);
      expect(r.preview[1]!.messages[0]!.content).toBe("Plus d'été ☀️");
    }
  });

  it('keeps strings with brackets, quotes and escapes inside one array element', async () => {
    const tricky = [{ instruction: 'brackets ] } [ { and "quotes" and \\ backslash \\"', output: 'ok ]' }, { instruction: '\\', output: '"' }];
    const r = await run(JSON.stringify(tricky, null, 1), 1);
    expect(r.records).toMatchObject({ total: 2, good: 2, bad: 0 });
    expect(r.preview[0]!.messages[0]!.content).toBe(tricky[0]!.instruction);
  });

  it('reports damaged arrays and reads on', async () => {
    const r = await run('[{"instruction": "a", "output": "b"} {"instruction": "c", "output": "d"},\n{"instruction": "e", "output": "f"},]\ntrailing');
    expect(r.errors.map((e) => [e.line, e.code, e.message.slice(0, 20)])).toEqual([
      [1, 'invalid_json_array', 'Expected `,` or `]` '],
      [2, 'invalid_json_array', 'Trailing comma befor'],
      [3, 'invalid_json_array', 'Unexpected data afte'],
    ]);
    expect(r.records).toMatchObject({ total: 3, good: 3 });
    const truncated = await run('[\n{"instruction": "a", "output": "b"},\n{"instruction": "c", "outp');
    expect(errorLines(truncated)).toEqual([
      [3, 'invalid_json'],
      [3, 'invalid_json_array'],
    ]);
    expect(truncated.records).toMatchObject({ total: 2, good: 1, bad: 1 });
  });

  it('locates each kind of invalid UTF-8 on its line, in JSONL and in arrays', async () => {
    const bad = [
      [0xff], // never valid
      [0xc0, 0x80], // overlong
      [0xed, 0xa0, 0x80], // UTF-16 surrogate
      [0xf4, 0x90, 0x80, 0x80], // above U+10FFFF
      [0xe6, 0x9d], // truncated 3-byte sequence
    ];
    const line = (b: number[]) => [...enc.encode('{"instruction": "'), ...b, ...enc.encode('", "output": "x"}')];
    const jsonl = new Uint8Array(bad.flatMap((b) => [...line(b), 10]));
    const r = await run(jsonl, 3);
    expect(errorLines(r)).toEqual(bad.map((_, i) => [i + 1, 'invalid_utf8']));
    expect(r.errors.map((e) => e.message.match(/byte (\d+) of/)![1])).toEqual(['18', '18', '18', '18', '18']);
    const arr = new Uint8Array([0x5b, ...bad.flatMap((b, i) => [...(i ? [0x2c, 10] : []), ...line(b)]), 0x5d]);
    expect(errorLines(await run(arr, 5))).toEqual(bad.map((_, i) => [i + 1, 'invalid_utf8']));
  });

  it('rejects an empty or whitespace-only file', async () => {
    for (const text of ['', '\n\n  \n']) {
      const r = await run(text);
      expect(r.container).toBe('empty');
      expect(r.verdict).toBe('rejected');
      expect(r.reasons).toEqual(['The file has no records.']);
    }
  });

  it('accepts a web ReadableStream', async () => {
    const bytes = enc.encode(JSONL);
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 5) c.enqueue(bytes.slice(i, i + 5));
        c.close();
      },
    });
    const r = await validateConversationStream(stream, { contextLength: 4096 });
    expect(r.records.good).toBe(3);
  });

  it('stops on abort with the signal reason and cancels the source', async () => {
    const controller = new AbortController();
    let cancelled = false;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (++pulls === 3) controller.abort(new Error('user cancelled'));
        c.enqueue(enc.encode(conv(`q${pulls}`, 'a') + '\n'));
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(validateConversationStream(stream, { contextLength: 4096, signal: controller.signal })).rejects.toThrow('user cancelled');
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThan(10);
  });

  it('reports progress by bytes and lines, and once at the end', async () => {
    const seen: { bytes: number; lines: number }[] = [];
    const text = Array.from({ length: 200 }, (_, i) => conv(`q${i}`, 'a')).join('\n') + '\n';
    await validateConversationStream(chunks(text, 256), { contextLength: 4096, progressEveryBytes: 4096, onProgress: (p) => seen.push(p) });
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.at(-1)).toEqual({ bytes: enc.encode(text).length, lines: 200 });
    for (let i = 1; i < seen.length; i++) expect(seen[i]!.bytes).toBeGreaterThanOrEqual(seen[i - 1]!.bytes);
  });
});

import { createReadStream, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateConversationJsonl, type GeneratedFile } from '../../bench/validate-jsonl/generate.ts';
import { validateConversationStream } from '@/server/text-datasets/validation/index.ts';

// Issue 7: "a generated 1 GB file validated with flat memory". The file is generated as a
// stream into the OS temp dir (a real file of that size cannot be a fixture), validated from
// disk, and deleted. Memory is sampled at every progress callback (every 4 MiB read): the
// process RSS may not grow by more than 300 MB over what it was before validation, and the
// counts must be exactly what the generator wrote.

const SIZE = 2 ** 30;
const RSS_GROWTH_LIMIT_MB = 300;
const file = path.join(os.tmpdir(), `lora-studio-test-1gb-${process.pid}.jsonl`);

afterAll(() => rmSync(file, { force: true }));

describe('1 GB conversation JSONL', () => {
  it('validates with flat memory and exact counts', { timeout: 600_000 }, async () => {
    const t0 = performance.now();
    const meta: GeneratedFile = await generateConversationJsonl(file, SIZE, { badEvery: 100_000 });
    const generated = performance.now();
    expect(meta.bytes).toBeGreaterThanOrEqual(SIZE);

    const startRss = process.memoryUsage().rss;
    let maxRss = startRss;
    let progressCalls = 0;
    const report = await validateConversationStream(createReadStream(file, { highWaterMark: 1 << 20 }), {
      contextLength: 8192,
      onProgress: () => {
        progressCalls++;
        maxRss = Math.max(maxRss, process.memoryUsage().rss);
      },
    });
    const growthMb = (maxRss - startRss) / 2 ** 20;
    const done = performance.now();
    console.log(
      `[1gb] generated ${(meta.bytes / 2 ** 20).toFixed(0)} MiB in ${((generated - t0) / 1000).toFixed(1)} s; validated in ${((done - generated) / 1000).toFixed(1)} s ` +
        `(${(meta.bytes / 2 ** 20 / ((done - generated) / 1000)).toFixed(0)} MiB/s); RSS ${(startRss / 2 ** 20).toFixed(0)} → max ${(maxRss / 2 ** 20).toFixed(0)} MB (+${growthMb.toFixed(0)})`,
    );

    expect(progressCalls).toBeGreaterThan(200);
    expect(growthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
    expect(report.bytes).toBe(meta.bytes);
    expect(report.lines).toBe(meta.lines);
    expect(report.records).toEqual({ total: meta.lines, good: meta.conversations, bad: meta.badCount, blank_lines: 0, duplicates: 0 });
    expect(report.stats.conversations).toBe(meta.conversations);
    expect(report.stats.turns).toBe(meta.turns);
    expect(report.errors.map((e) => [e.line, e.code])).toEqual(meta.badLines.map((l) => [l, 'invalid_json']));
    expect(report.verdict).toBe('ready');
  });
});

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { prng } from '../../tests/helpers/prng.ts';
export { prng };

// Deterministic conversation JSONL generator for the benchmark and the large-file test.
// Every conversation is unique (it carries its index), so the validator's counts can be
// asserted exactly; every `badEvery`-th line is broken JSON at a known position. The text is
// mostly English words with some accented and CJK characters so UTF-8 decoding is exercised.

export interface GeneratedFile {
  path: string;
  bytes: number;
  lines: number;
  conversations: number; // valid conversations written
  badLines: number[]; // 1-based line numbers of the deliberately invalid lines (first 1000)
  badCount: number;
  turns: number;
}

const WORDS = (
  'the model answers questions about invoices shipping refunds accounts passwords orders ' +
  'delivery warranty exchange tracking number customer support please thanks could would ' +
  'should because however therefore example configuration server deployment kubernetes ' +
  'latency throughput database index query transaction rollback migration schema café ' +
  'naïve résumé déjà vu 東京 データ 模型 训练 😀 function return const value 42 3.14 2025'
).split(' ');


function sentence(rand: () => number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[Math.floor(rand() * WORDS.length)]!);
  return out.join(' ');
}

/** One conversation line (no newline). Exported so tests can build small files the same way. */
export function conversationLine(index: number, rand: () => number): { line: string; turns: number } {
  const pairs = 1 + Math.floor(rand() * 3);
  const messages: { role: string; content: string }[] = [];
  if (rand() < 0.7) messages.push({ role: 'system', content: `You are support agent #${index % 97}. ${sentence(rand, 8)}` });
  for (let p = 0; p < pairs; p++) {
    messages.push({ role: 'user', content: `[${index}.${p}] ${sentence(rand, 10 + Math.floor(rand() * 60))}?` });
    messages.push({ role: 'assistant', content: `${sentence(rand, 20 + Math.floor(rand() * 180))}.\n${sentence(rand, 12)}` });
  }
  return { line: JSON.stringify({ messages }), turns: messages.length };
}

/**
 * Writes about `targetBytes` of JSONL to `path` as a stream (memory stays flat), with one
 * broken line every `badEvery` lines (0 = none).
 */
export async function generateConversationJsonl(path: string, targetBytes: number, opts: { seed?: number; badEvery?: number } = {}): Promise<GeneratedFile> {
  const rand = prng(opts.seed ?? 7);
  const badEvery = opts.badEvery ?? 0;
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const res: GeneratedFile = { path, bytes: 0, lines: 0, conversations: 0, badLines: [], badCount: 0, turns: 0 };
  let batch: string[] = [];
  let batchBytes = 0;
  while (res.bytes < targetBytes) {
    res.lines++;
    let line: string;
    if (badEvery > 0 && res.lines % badEvery === 0) {
      line = `{"messages": [{"role": "user", "content": "broken line ${res.lines}"}`; // unterminated
      if (res.badLines.length < 1000) res.badLines.push(res.lines);
      res.badCount++;
    } else {
      const c = conversationLine(res.lines, rand);
      line = c.line;
      res.conversations++;
      res.turns += c.turns;
    }
    const n = Buffer.byteLength(line) + 1;
    res.bytes += n;
    batch.push(line);
    batchBytes += n;
    if (batchBytes >= 1 << 20) {
      if (!out.write(batch.join('\n') + '\n')) await once(out, 'drain');
      batch = [];
      batchBytes = 0;
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
  return res;
}

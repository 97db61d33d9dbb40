// One benchmark phase in its own process (so its peak RSS is its own), started by run.ts:
//   node --import tsx bench/validate-jsonl/phase.ts <phase> <file>
// Prints one JSON line: { phase, seconds, bytes, records, startRssMb, peakRssMb, … }.
import { createReadStream } from 'node:fs';
import { validateConversationStream, type TokenizerId } from '../../src/server/text-datasets/validation/index.ts';

const PHASES = ['baseline', 'structural', 'tokens-heuristic', 'tokens-llama3-sample'] as const;
type Phase = (typeof PHASES)[number];
const TOKENIZER: Record<Exclude<Phase, 'baseline'>, TokenizerId> = {
  structural: 'approx-bytes',
  'tokens-heuristic': 'heuristic',
  'tokens-llama3-sample': 'llama3-sample',
};
// Same read size for every phase, so only what is done with the bytes differs.
const HIGH_WATER_MARK = 1 << 20;

/** The plain loop the validator is measured against: read → decode → split lines → JSON.parse. */
async function baseline(file: string): Promise<{ bytes: number; records: number }> {
  const decoder = new TextDecoder();
  let rest = '';
  let bytes = 0;
  let records = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: HIGH_WATER_MARK }) as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    const lines = (rest + decoder.decode(chunk, { stream: true })).split('\n');
    rest = lines.pop()!;
    for (const line of lines) {
      if (!line) continue;
      records++;
      try {
        JSON.parse(line);
      } catch {
        // the file has a few deliberately broken lines
      }
    }
  }
  if (rest) records++;
  return { bytes, records };
}

async function main(): Promise<void> {
  const [phase, file] = process.argv.slice(2) as [Phase, string];
  if (!PHASES.includes(phase) || !file) throw new Error(`usage: phase.ts <${PHASES.join('|')}> <file>`);
  const startRssMb = process.memoryUsage().rss / 2 ** 20;
  const t0 = performance.now();
  let result: Record<string, unknown>;
  if (phase === 'baseline') result = await baseline(file);
  else {
    const r = await validateConversationStream(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }), { contextLength: 8192, tokenizer: TOKENIZER[phase] });
    result = { bytes: r.bytes, records: r.records.total, good: r.records.good, bad: r.records.bad, conversations: r.stats.conversations, tokens: r.stats.tokens.total, tokenizer: r.tokenizer };
  }
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(`${JSON.stringify({ phase, seconds, startRssMb, peakRssMb, ...result })}\n`);
}

await main();

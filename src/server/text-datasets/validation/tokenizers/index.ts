import type { TokenizerInfo } from '../report-schema.ts';
import type { TokenizerId } from '../options.ts';
import type { Turn } from '../types.ts';
import type { ConversationEncoder } from '../content-hash.ts';
import { heuristicTokens } from './heuristic.ts';
import { loadLlama3, type ExactTokenizer } from './llama3.ts';

// Token counting behind one interface. `count` fills per-turn content tokens and returns the
// conversation's content total (tool definitions included). Template overhead is added by
// the caller from TEMPLATE_OVERHEAD, the same for every tokenizer.
//
//  approx-bytes   UTF-8 bytes / 4 — the classic rule of thumb; fastest, ±25 %.
//  heuristic      pre-tokenizer run costs calibrated on Llama 3 (heuristic.ts); ±5 % on
//                 English totals, ±10–15 % per conversation at p90. The default.
//  llama3-sample  heuristic everywhere, exact Llama 3 BPE on a sample (the first 200
//                 conversations, then 1 in 64 by content hash, ≤ 16 MiB of text) to learn a
//                 correction factor applied to the rest; conversations whose estimate is
//                 within 20 % of the context are re-counted exactly (≤ 64 MiB), so the
//                 over-length verdict is exact for Llama 3 bases.
//  llama3         exact Llama 3 BPE on every turn: ~30 MiB/s on the benchmark text, a few
//                 MB/s on text full of rare words (each new pre-token runs BPE once).

/** Llama 3 chat template: `<|start_header_id|>role<|end_header_id|>\n\n … <|eot_id|>` + BOS. */
export const TEMPLATE_OVERHEAD = { per_message: 5, per_conversation: 1 } as const;

export interface TokenCounter {
  /** `enc` has just hashed this conversation: its UTF-8 byte lengths are ready. */
  count(turns: Turn[], tools: string | null, sampleKey: number, perTurn: number[], enc: ConversationEncoder): number;
  /** Exact recount of a conversation near the context limit; null when not available. */
  recount(turns: Turn[], tools: string | null, perTurn: number[]): number | null;
  info(): TokenizerInfo;
}

const bytes4 = (s: string) => Math.ceil(Buffer.byteLength(s) / 4);

/** bytes ÷ 4 from the lengths the encoder already measured (no second UTF-8 pass). */
function approxBytes(): TokenCounter {
  const base = simple('approx-bytes', 'UTF-8 bytes ÷ 4', 'Approximation: UTF-8 bytes divided by 4, the usual rule of thumb for English with BPE tokenizers (±25 %; CJK and code differ more).', bytes4);
  return {
    ...base,
    count(turns, _tools, _key, perTurn, enc) {
      let total = Math.ceil(enc.toolsBytes / 4);
      const b = enc.turnBytes;
      for (let i = 0; i < turns.length; i++) total += perTurn[i] = Math.ceil(b[i]! / 4);
      return total;
    },
  };
}

function simple(id: TokenizerId, name: string, note: string, fn: (s: string) => number): TokenCounter {
  return {
    count(turns, tools, _key, perTurn) {
      let total = tools ? fn(tools) : 0;
      for (let i = 0; i < turns.length; i++) total += perTurn[i] = fn(turns[i]!.content);
      return total;
    },
    recount: () => null,
    info: () => ({ id, name, exact: id === 'llama3', method: 'full', note, template_overhead: { ...TEMPLATE_OVERHEAD }, sample: null }),
  };
}

const SAMPLE_FIRST = 200;
const SAMPLE_EVERY = 64;
const SAMPLE_MAX_BYTES = 16 * 1024 * 1024;
const RECOUNT_MAX_BYTES = 64 * 1024 * 1024;

function sampled(exact: ExactTokenizer): TokenCounter {
  let conversations = 0;
  let sampleConvs = 0;
  let sampleBytes = 0;
  let sumExact = 0;
  let sumEstimate = 0;
  let recountBytes = 0;
  const factor = () => (sumEstimate > 0 ? sumExact / sumEstimate : 1);
  const exactCount = (turns: Turn[], tools: string | null, perTurn: number[]) => {
    let total = tools ? exact.count(tools) : 0;
    for (let i = 0; i < turns.length; i++) total += perTurn[i] = exact.count(turns[i]!.content);
    return total;
  };
  return {
    count(turns, tools, key, perTurn) {
      conversations++;
      const take = sampleBytes < SAMPLE_MAX_BYTES && (conversations <= SAMPLE_FIRST || key % SAMPLE_EVERY === 0);
      let estimate = tools ? heuristicTokens(tools) : 0;
      for (let i = 0; i < turns.length; i++) estimate += perTurn[i] = heuristicTokens(turns[i]!.content);
      if (take) {
        let size = tools ? Buffer.byteLength(tools) : 0;
        for (const t of turns) size += Buffer.byteLength(t.content);
        const total = exactCount(turns, tools, perTurn);
        sampleConvs++;
        sampleBytes += size;
        sumExact += total;
        sumEstimate += estimate;
        return total;
      }
      const f = factor();
      for (let i = 0; i < turns.length; i++) perTurn[i] = Math.round(perTurn[i]! * f);
      return Math.round(estimate * f);
    },
    recount(turns, tools, perTurn) {
      if (recountBytes > RECOUNT_MAX_BYTES) return null;
      for (const t of turns) recountBytes += t.content.length;
      return exactCount(turns, tools, perTurn);
    },
    info: () => ({
      id: 'llama3-sample',
      name: exact.name,
      exact: false,
      method: 'sample-extrapolated',
      note: `Exact Llama 3 BPE on ${sampleConvs} sampled conversations; the rest are the heuristic estimate × ${factor().toFixed(3)}. Conversations near the context limit were re-counted exactly. Exact for Llama 3 bases only where counted; other model families tokenize differently (typically within ±10 %).`,
      template_overhead: { ...TEMPLATE_OVERHEAD },
      sample: { conversations: sampleConvs, bytes: sampleBytes, correction_factor: Number(factor().toFixed(4)) },
    }),
  };
}

export async function createTokenCounter(id: TokenizerId): Promise<TokenCounter> {
  switch (id) {
    case 'approx-bytes':
      return approxBytes();
    case 'heuristic':
      return simple(id, 'BPE pre-tokenizer heuristic (Llama 3 calibrated)', 'Approximation: text is cut into words, digit groups and punctuation runs the way Llama 3 / tiktoken pre-tokenize, and each run is priced from measured averages (within ±5 % on English totals, ±15 % per conversation).', heuristicTokens);
    case 'llama3': {
      const exact = await loadLlama3();
      return simple(id, exact.name, 'Exact Llama 3 / 3.1 token counts. Other model families (Qwen, Mistral) tokenize differently.', exact.count);
    }
    case 'llama3-sample':
      return sampled(await loadLlama3());
  }
}

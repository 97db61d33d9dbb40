// Generated conversation datasets for the main suite, which must run on a fresh clone without
// the third-party files (only tests/realworld reads those). Seeded (prng.ts), so every run gets
// the same bytes; every record carries its index, so no two are duplicates unless a test
// copies one on purpose.
import { prng } from './prng.ts';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}
export interface ChatRecord {
  messages: ChatMessage[];
}
export interface AlpacaRecord {
  instruction: string;
  input: string;
  output: string;
  history?: [string, string][];
}

const WORDS = (
  'account password device settings reset email link invoice refund order shipping address ' +
  'printer network router battery screen update install restart backup restore license plan ' +
  'upgrade billing card payment receipt login token session browser cache cookie profile ' +
  'please check the your this that with from into after before then again quickly simply'
).split(' ');
const SYSTEMS = ['You are a helpful support agent.', 'You answer billing questions briefly.', 'You are a patient IT helpdesk assistant.'];

type Rand = () => number;
const int = (rand: Rand, min: number, max: number) => min + Math.floor(rand() * (max - min + 1));

/** A sentence of `min`–`max` words from WORDS, capitalised, ending in a full stop. */
function sentence(rand: Rand, min: number, max: number): string {
  const words = Array.from({ length: int(rand, min, max) }, () => WORDS[Math.floor(rand() * WORDS.length)]!);
  const s = words.join(' ');
  return `${s[0]!.toUpperCase()}${s.slice(1)}.`;
}

/**
 * `n` OpenAI-messages conversations: a system message, then 1–3 user/assistant exchanges of
 * 3–30 words each (a few hundred tokens at most, far below any base's context).
 */
export function chatConversations(n: number, seed = 1): ChatRecord[] {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const messages: ChatMessage[] = [{ role: 'system', content: SYSTEMS[i % SYSTEMS.length]! }];
    const exchanges = int(rand, 1, 3);
    for (let e = 0; e < exchanges; e++) {
      messages.push({ role: 'user', content: `${e === 0 ? `Ticket ${i}: ` : ''}${sentence(rand, 3, 30)}` });
      messages.push({ role: 'assistant', content: sentence(rand, 3, 30) });
    }
    return { messages };
  });
}

/** `n` Alpaca records (no system column): half with an `input`, one in four with a one-pair `history`. */
export function alpacaRecords(n: number, seed = 1): AlpacaRecord[] {
  const rand = prng(seed);
  return Array.from({ length: n }, (_, i) => {
    const r: AlpacaRecord = { instruction: `Task ${i}: ${sentence(rand, 3, 20)}`, input: rand() < 0.5 ? '' : sentence(rand, 3, 20), output: sentence(rand, 5, 40) };
    if (rand() < 0.25) r.history = [[sentence(rand, 3, 12), sentence(rand, 3, 12)]];
    return r;
  });
}

/** One JSON object per line, each line ending in '\n'. */
export const toJsonl = (records: readonly unknown[]): Buffer => Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(''));

/**
 * A pretty-printed JSON array (2-space indent, as LLaMA-Factory ships its datasets) and the
 * 1-based line on which each element starts.
 */
export function toJsonArray(records: readonly unknown[]): { bytes: Buffer; lines: number[] } {
  const lines: number[] = [];
  let line = 2; // line 1 is "["
  for (const r of records) {
    lines.push(line);
    line += JSON.stringify(r, null, 2).split('\n').length;
  }
  return { bytes: Buffer.from(`${JSON.stringify(records, null, 2)}\n`), lines };
}

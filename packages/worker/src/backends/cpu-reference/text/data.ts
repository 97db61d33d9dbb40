// Chat JSONL → bytes for next-byte prediction. Each conversation is rendered with role
// markers; every tenth conversation (or the tail of a single one) is held out for validation.
// Reading stops at MAX_CORPUS_BYTES: a tiny model gains nothing from more, and memory stays flat.
import { createReadStream } from 'node:fs';
import { extname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { BackendFailed } from '../../types.ts';
import { listFiles } from '../files.ts';
import { throwIfCanceled } from '../loop.ts';
import type { Prng } from '../prng.ts';

export const MAX_CORPUS_BYTES = 4 * 1024 * 1024;

export interface ChatCorpus {
  train: Uint8Array;
  val: Uint8Array;
  conversations: number;
  valConversations: number;
  truncated: boolean;
}

type Turn = { role: string; content: string };

/** One JSONL record → its turns: OpenAI `messages` or `turns` with role|speaker and content|text. */
export function turnsOf(record: unknown): Turn[] | null {
  if (typeof record !== 'object' || record === null) return null;
  const r = record as { messages?: unknown; turns?: unknown };
  const list = Array.isArray(r.messages) ? r.messages : Array.isArray(r.turns) ? r.turns : null;
  if (!list) return null;
  const turns = list.flatMap((t: unknown) => {
    if (typeof t !== 'object' || t === null) return [];
    const o = t as Record<string, unknown>;
    const role = typeof o.role === 'string' ? o.role : typeof o.speaker === 'string' ? o.speaker : null;
    const content = typeof o.content === 'string' ? o.content : typeof o.text === 'string' ? o.text : null;
    return role !== null && content !== null ? [{ role, content }] : [];
  });
  return turns.length > 0 ? turns : null;
}

export function renderChat(turns: Turn[]): string {
  return `${turns.map((t) => `<|${t.role}|>\n${t.content}\n`).join('')}<|end|>\n`;
}

export async function loadChatCorpus(dir: string, signal: AbortSignal, note: (line: string) => void): Promise<ChatCorpus> {
  const files = (await listFiles(dir)).filter((f) => extname(f).toLowerCase() === '.jsonl');
  const file = files.includes('data.jsonl') ? 'data.jsonl' : files[0];
  if (!file) throw new BackendFailed('dataset_invalid', 'no .jsonl file in the dataset');
  const encoder = new TextEncoder();
  const chats: Uint8Array[] = [];
  let bytes = 0;
  let skipped = 0;
  let truncated = false;
  const lines = createInterface({ input: createReadStream(join(dir, file)), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo += 1;
    if (lineNo % 1000 === 0) throwIfCanceled(signal);
    if (!line.trim()) continue;
    let turns: Turn[] | null = null;
    try {
      turns = turnsOf(JSON.parse(line));
    } catch {
      turns = null;
    }
    if (!turns) {
      if (skipped++ < 3) note(`${file}:${lineNo}: not a conversation ({"messages":[{"role","content"}…]}); skipped`);
      continue;
    }
    const chat = encoder.encode(renderChat(turns));
    chats.push(chat);
    bytes += chat.length;
    if (bytes >= MAX_CORPUS_BYTES) {
      truncated = true;
      note(`read the first ${chats.length} conversations (${bytes} bytes); cpu-reference does not need more`);
      lines.close();
      break;
    }
  }
  if (skipped > 3) note(`${skipped} lines skipped in total`);
  if (chats.length === 0) throw new BackendFailed('dataset_invalid', `no conversations in ${file}`);
  return { ...split(chats), conversations: chats.length, truncated };
}

function split(chats: Uint8Array[]): { train: Uint8Array; val: Uint8Array; valConversations: number } {
  if (chats.length === 1) {
    const only = chats[0]!;
    const cut = Math.floor(only.length * 0.9);
    return { train: only.subarray(0, cut), val: only.subarray(cut), valConversations: 0 };
  }
  const held = chats.length >= 10 ? chats.filter((_, i) => i % 10 === 9) : [chats.at(-1)!];
  const kept = chats.filter((c) => !held.includes(c));
  return { train: concat(kept), val: concat(held), valConversations: held.length };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** B random windows of T+1 bytes → inputs [B·T] and next-byte targets [B·T]. */
export function sampleWindows(text: Uint8Array, B: number, T: number, rng: Prng): { tokens: Uint8Array; targets: Uint8Array } {
  const tokens = new Uint8Array(B * T);
  const targets = new Uint8Array(B * T);
  for (let b = 0; b < B; b++) {
    const start = rng.int(text.length - T);
    tokens.set(text.subarray(start, start + T), b * T);
    targets.set(text.subarray(start + 1, start + T + 1), b * T);
  }
  return { tokens, targets };
}

/** Up to `count` evenly spaced windows over the validation bytes, fixed for the whole run. */
export function validationWindows(text: Uint8Array, T: number, count: number): { tokens: Uint8Array; targets: Uint8Array; B: number; T: number } | null {
  const len = Math.min(T, text.length - 1);
  if (len < 2) return null;
  const B = Math.max(1, Math.min(count, Math.floor((text.length - 1) / len)));
  const stride = Math.floor((text.length - 1 - len) / Math.max(1, B - 1));
  const tokens = new Uint8Array(B * len);
  const targets = new Uint8Array(B * len);
  for (let b = 0; b < B; b++) {
    const start = B === 1 ? 0 : b * stride;
    tokens.set(text.subarray(start, start + len), b * len);
    targets.set(text.subarray(start + 1, start + len + 1), b * len);
  }
  return { tokens, targets, B, T: len };
}

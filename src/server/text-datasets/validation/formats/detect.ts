import type { FormatId } from '../report-schema.ts';
import { isObject } from '../types.ts';

// Per-record format detection from the record's own keys (cheap: a few `in` checks and a
// look at the first item). Kinds we recognise but do not train are returned too, so they get
// a precise error instead of "unknown format".

export type DetectedKind = FormatId | 'preference' | 'pretraining' | 'unknown';

const MEDIA_KEYS = ['images', 'videos', 'audios'] as const;

/** LLaMA-Factory-only columns next to `messages` mark the sharegpt "messages" variant. */
function hasLlamaFactoryColumns(r: Record<string, unknown>): boolean {
  return MEDIA_KEYS.some((k) => k in r) || typeof r.system === 'string' || typeof r.tools === 'string';
}

function firstItem(list: unknown): Record<string, unknown> | null {
  if (!Array.isArray(list)) return null;
  for (const m of list) if (isObject(m)) return m;
  return null;
}

function isV1(list: unknown): boolean {
  const m = firstItem(list);
  if (!m) return false;
  if ('loss_weight' in m) return true;
  const c = m.content;
  return Array.isArray(c) && isObject(c[0]) && 'value' in c[0] && !('text' in c[0]);
}

export function detectFormat(r: Record<string, unknown>): DetectedKind {
  // Preference / KTO data (LLaMA-Factory ranking, OpenAI DPO) — recognised to be refused.
  if ('chosen' in r || 'rejected' in r || 'kto_tag' in r || 'preferred_output' in r || 'non_preferred_output' in r) return 'preference';
  if ('messages' in r) {
    const first = firstItem(r.messages);
    if (first && 'from' in first && !('role' in first)) return 'sharegpt'; // messages column with sharegpt tags
    if (isV1(r.messages)) return 'llamafactory_v1';
    return hasLlamaFactoryColumns(r) ? 'sharegpt_messages' : 'openai';
  }
  if ('conversations' in r) {
    const first = firstItem(r.conversations);
    return first && 'role' in first && !('from' in first) ? 'sharegpt_messages' : 'sharegpt';
  }
  if ('turns' in r || 'conversation_id' in r) {
    const first = firstItem(r.turns);
    return first && ('speaker' in first || ('text' in first && !('content' in first))) ? 'turns_v4' : 'turns_v3';
  }
  if ('instruction' in r || 'output' in r) return 'alpaca';
  if ('text' in r) return 'pretraining';
  return 'unknown';
}

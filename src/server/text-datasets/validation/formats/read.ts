import type { FormatId } from '../report-schema.ts';
import { describe, isObject, type Conversation, type IssueSink, type Turn } from '../types.ts';
import { LLAMAFACTORY_V1, OPENAI, SHAREGPT, SHAREGPT_MESSAGES, TURNS_V3, TURNS_V4 } from './specs.ts';
import { readTurnList, type ListSpec } from './turn-list.ts';

// Reads a record of a known format into turns (normalized roles, original paths). Every
// problem is reported to the sink; the turns that could be read are returned either way so
// the conversation-level checks still run and report what else is wrong.

const SPEC: Record<Exclude<FormatId, 'alpaca'>, ListSpec> = {
  openai: OPENAI,
  llamafactory_v1: LLAMAFACTORY_V1,
  sharegpt: SHAREGPT,
  sharegpt_messages: SHAREGPT_MESSAGES,
  turns_v3: TURNS_V3,
  turns_v4: TURNS_V4,
};

function listField(format: FormatId, r: Record<string, unknown>): string {
  if (format === 'turns_v3' || format === 'turns_v4') return 'turns';
  if (format === 'sharegpt' || format === 'sharegpt_messages') return 'conversations' in r ? 'conversations' : 'messages';
  return 'messages';
}

export function readConversation(r: Record<string, unknown>, format: FormatId, sink: IssueSink): Conversation {
  const conv: Conversation = { format, turns: [], field: 'messages', tools: undefined, conversationId: null, complete: false };
  if (format === 'alpaca') {
    conv.complete = readAlpaca(r, conv.turns, sink);
    conv.field = 'instruction';
    return conv;
  }
  const field = listField(format, r);
  conv.field = field;
  const list = r[field];
  if (list === undefined) sink.error(field, 'missing_field', `\`${field}\` is missing.`);
  else if (!Array.isArray(list)) sink.error(field, 'invalid_type', `\`${field}\` must be an array, got ${describe(list)}.`);
  else conv.complete = readTurnList(list, field, SPEC[format], conv.turns, sink);

  if (format === 'turns_v3' || format === 'turns_v4') {
    const id = r.conversation_id;
    if (typeof id === 'string' || typeof id === 'number') conv.conversationId = String(id);
    else if (id === undefined) sink.error('conversation_id', 'missing_field', '`conversation_id` is missing.');
    else sink.error('conversation_id', 'invalid_type', `\`conversation_id\` must be a string or a number, got ${describe(id)}.`);
  }
  if (format === 'sharegpt' || format === 'sharegpt_messages') prependSystemColumn(r, conv.turns, sink);
  if ('tools' in r) conv.tools = readTools(r.tools, sink);
  if (format === 'sharegpt' || format === 'sharegpt_messages') dropMedia(r, conv.turns, sink);
  return conv;
}

/** LLaMA-Factory's `system` column; a system turn inside the list takes precedence. */
function prependSystemColumn(r: Record<string, unknown>, turns: Turn[], sink: IssueSink): void {
  const s = r.system;
  if (s === undefined || s === null || s === '') return;
  if (typeof s !== 'string') return sink.error('system', 'invalid_type', `\`system\` must be a string, got ${describe(s)}.`);
  if (turns[0]?.role === 'system') return;
  turns.unshift({ role: 'system', content: s, toolCall: false, field: 'system', index: -1, key: '', roleKey: '' });
}

/** Tool definitions: an array, or (LLaMA-Factory) a JSON string of one. Kept for the trainer. */
function readTools(t: unknown, sink: IssueSink): unknown {
  if (t === null || t === '' || (Array.isArray(t) && t.length === 0)) return undefined;
  if (typeof t === 'string') {
    try {
      return JSON.parse(t);
    } catch {
      sink.error('tools', 'invalid_json', '`tools` is a string but not valid JSON.');
      return undefined;
    }
  }
  if (!Array.isArray(t) && !isObject(t)) sink.error('tools', 'invalid_type', `\`tools\` must be an array or a JSON string, got ${describe(t)}.`);
  return t;
}

const PLACEHOLDER = /<(image|video|audio)>/g;

/** Multimodal columns: text LoRA training cannot use them; their placeholders are removed. */
function dropMedia(r: Record<string, unknown>, turns: Turn[], sink: IssueSink): void {
  for (const key of ['images', 'videos', 'audios'] as const) {
    const v = r[key];
    if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) continue;
    const files = Array.isArray(v) ? v : [v];
    const names = files.slice(0, 2).map((f) => (typeof f === 'string' ? f : JSON.stringify(f)).slice(0, 80)).join(', ');
    sink.warn(key, 'media_not_included', `\`${key}\` references ${files.length} file(s) (${names}${files.length > 2 ? ', …' : ''}) that a text dataset does not include; text LoRA training ignores media and the <${key.slice(0, -1)}> placeholders are removed from the text.`);
    for (const t of turns) if (t.content.includes('<')) t.content = t.content.replace(PLACEHOLDER, (m, kind: string) => (kind === key.slice(0, -1) ? '' : m));
  }
}

function scalar(r: Record<string, unknown>, key: string, required: boolean, sink: IssueSink): string | null {
  const v = r[key];
  if (v === undefined || v === null) {
    if (required) sink.error(key, 'missing_field', `\`${key}\` is missing.`);
    return null;
  }
  if (typeof v !== 'string') {
    sink.error(key, 'invalid_type', `\`${key}\` must be a string, got ${describe(v)}.`);
    return null;
  }
  return v;
}

const turn = (role: Turn['role'], content: string, field: string, index = -1, key = ''): Turn => ({ role, content, toolCall: false, field, index, key, roleKey: '' });

/** Alpaca: system? + history pairs + (instruction "\n" input) → output, as LLaMA-Factory builds it. */
function readAlpaca(r: Record<string, unknown>, turns: Turn[], sink: IssueSink): boolean {
  let complete = true;
  const system = scalar(r, 'system', false, sink);
  if (system) turns.push(turn('system', system, 'system'));
  const h = r.history;
  if (Array.isArray(h)) {
    h.forEach((pair, i) => {
      if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') {
        sink.error(`history[${i}]`, 'invalid_type', 'Each `history` item must be a pair of strings [prompt, response].');
        complete = false;
        return;
      }
      turns.push(turn('user', pair[0], 'history', i, '[0]'), turn('assistant', pair[1], 'history', i, '[1]'));
    });
  } else if (h !== undefined && h !== null) {
    sink.error('history', 'invalid_type', `\`history\` must be an array of [prompt, response] pairs, got ${describe(h)}.`);
    complete = false;
  }
  const instruction = scalar(r, 'instruction', true, sink);
  const input = scalar(r, 'input', false, sink);
  if (instruction !== null) turns.push(turn('user', input && input.trim() ? `${instruction}\n${input}` : instruction, 'instruction'));
  const output = scalar(r, 'output', true, sink);
  if (output !== null) turns.push(turn('assistant', output, 'output'));
  return complete && instruction !== null && output !== null;
}

import type { Role } from '../report-schema.ts';
import { describe, isObject, type IssueSink, type Turn } from '../types.ts';

// One reader for every "array of {role, text}" shape: OpenAI messages, LLaMA-Factory v1,
// ShareGPT (from/value), ShareGPT's role/content variant and the in-house turns v3/v4.
// A spec says which keys hold the role and the text and how role values map to ours.

export interface RoleTarget {
  role: Role;
  toolCall?: boolean;
}

export interface ListSpec {
  roleKey: string;
  contentKey: string;
  roles: ReadonlyMap<string, RoleTarget>;
  /** Content may be an array of `{type: 'text', text|value}` parts (OpenAI, v1). */
  parts: boolean;
  /** Assistant messages may carry `tool_calls` / `function_call` (OpenAI). */
  openaiTools: boolean;
  /** Per-message training weights we do not honour (`weight`, `loss_weight`). */
  weightKey?: string;
}

export const roleMap = (entries: Record<string, RoleTarget>): ReadonlyMap<string, RoleTarget> => new Map(Object.entries(entries));

const acceptedRoles = new WeakMap<ReadonlyMap<string, RoleTarget>, string>();
function accepted(roles: ReadonlyMap<string, RoleTarget>): string {
  let s = acceptedRoles.get(roles);
  if (!s) acceptedRoles.set(roles, (s = [...roles.keys()].map((r) => `\`${r}\``).join(', ')));
  return s;
}

/** Reads `list` into `out`, reporting every problem of every item (not only the first). */
export function readTurnList(list: unknown[], field: string, spec: ListSpec, out: Turn[], sink: IssueSink): boolean {
  let weightWarned = false;
  let complete = true;
  for (let i = 0; i < list.length; i++) {
    const m = list[i];
    if (!isObject(m)) {
      sink.error(`${field}[${i}]`, 'invalid_type', `Each item of \`${field}\` must be an object, got ${describe(m)}.`);
      complete = false;
      continue;
    }
    const rawRole = m[spec.roleKey];
    let target: RoleTarget | undefined;
    if (typeof rawRole !== 'string' || !(target = spec.roles.get(rawRole))) {
      const rp = `${field}[${i}].${spec.roleKey}`;
      if (rawRole === undefined) sink.error(rp, 'missing_field', `\`${spec.roleKey}\` is missing.`);
      else if (typeof rawRole !== 'string') sink.error(rp, 'invalid_type', `\`${spec.roleKey}\` must be a string, got ${describe(rawRole)}.`);
      else sink.error(rp, 'unknown_role', `Unknown role "${rawRole.slice(0, 40)}"; expected one of ${accepted(spec.roles)}.`);
    }

    const content = readContent(m, field, i, target, spec, sink);
    if (spec.weightKey && !weightWarned && m[spec.weightKey] !== undefined && target) {
      const w = m[spec.weightKey];
      const trained = target.role === 'assistant';
      if ((trained && w === 0) || (!trained && typeof w === 'number' && w > 0)) {
        weightWarned = true;
        sink.warn(`${field}[${i}].${spec.weightKey}`, 'ignored_field', `\`${spec.weightKey}\` is ignored: every assistant turn is trained and no other turn is.`);
      }
    }
    if (!target || content === null) {
      complete = false;
      continue;
    }
    out.push({ role: target.role, content: content.text, toolCall: content.toolCall || target.toolCall === true, field, index: i, key: spec.contentKey, roleKey: spec.roleKey });
  }
  return complete;
}

function readContent(m: Record<string, unknown>, field: string, i: number, target: RoleTarget | undefined, spec: ListSpec, sink: IssueSink): { text: string; toolCall: boolean } | null {
  const key = spec.contentKey;
  const c = m[key];
  const calls = spec.openaiTools && target?.role === 'assistant' ? toolCalls(m, field, i, sink) : null;
  if (typeof c === 'string') return calls ? { text: c ? `${c}\n${calls}` : calls, toolCall: true } : { text: c, toolCall: false };
  if ((c === null || c === undefined) && calls) return { text: calls, toolCall: true };
  const at = `${field}[${i}]`;
  if (c === undefined) {
    sink.error(`${at}.${key}`, 'missing_field', `\`${key}\` is missing.`);
    return null;
  }
  if (spec.parts && Array.isArray(c)) {
    const text = joinParts(c, `${at}.${key}`, sink);
    if (text === null) return null;
    return calls ? { text: text ? `${text}\n${calls}` : calls, toolCall: true } : { text, toolCall: false };
  }
  const expected = spec.parts ? 'a string or an array of text parts' : 'a string';
  sink.error(`${at}.${key}`, 'invalid_type', `\`${key}\` must be ${expected}, got ${describe(c)}.`);
  return null;
}

function joinParts(parts: unknown[], at: string, sink: IssueSink): string | null {
  let text = '';
  let ok = true;
  for (let j = 0; j < parts.length; j++) {
    const p = parts[j];
    if (!isObject(p)) {
      sink.error(`${at}[${j}]`, 'invalid_type', `A content part must be an object, got ${describe(p)}.`);
      ok = false;
      continue;
    }
    if (p.type !== 'text') {
      sink.error(`${at}[${j}]`, 'unsupported_content', `Content parts of type "${String(p.type).slice(0, 40)}" are not supported for text LoRA training; only \`text\` parts are.`);
      ok = false;
      continue;
    }
    // OpenAI names the text `text`; LLaMA-Factory v1 names it `value`.
    const t = typeof p.text === 'string' ? p.text : p.value;
    if (typeof t !== 'string') {
      sink.error(`${at}[${j}].text`, 'invalid_type', 'A text part needs a string `text` (or `value`).');
      ok = false;
      continue;
    }
    text += t;
  }
  return ok ? text : null;
}

/** Serialized tool calls of an OpenAI assistant message, or null when it has none. */
function toolCalls(m: Record<string, unknown>, field: string, i: number, sink: IssueSink): string | null {
  const tc = m.tool_calls ?? m.function_call;
  if (tc === undefined || tc === null) return null;
  const at = `${field}[${i}]`;
  const key = m.tool_calls !== undefined ? 'tool_calls' : 'function_call';
  if (key === 'tool_calls' && (!Array.isArray(tc) || tc.length === 0)) {
    sink.error(`${at}.tool_calls`, 'invalid_type', '`tool_calls` must be a non-empty array.');
    return null;
  }
  const list = Array.isArray(tc) ? tc : [tc];
  // The normalized turn keeps the calls as JSON text ({name, arguments}) so training sees them.
  return JSON.stringify(list.map((c) => (isObject(c) && isObject(c.function) ? c.function : c)));
}

import type { ErrorCode, FormatId, Role, WarningCode } from './report-schema.ts';

// Internal shapes shared by the format readers, the checks and the processor. Paths are kept
// as parts (field, index, key) and only turned into strings when an issue is reported, so the
// hot path builds no strings per turn.

export interface Turn {
  role: Role;
  content: string;
  /** An assistant turn that calls tools (OpenAI tool_calls, ShareGPT function_call). */
  toolCall: boolean;
  /** Record field holding the turn: `messages`, `conversations`, `turns`, `history`, `instruction`… */
  field: string;
  /** Index in that field's array, or -1 for a scalar field (Alpaca). */
  index: number;
  /** Key of the text inside the item: `content`, `value`, `text`, or `[1]` for history pairs. */
  key: string;
  /** Key of the role inside the item (`role`, `from`, `speaker`), '' when implied. */
  roleKey: string;
}

export interface Conversation {
  format: FormatId;
  turns: Turn[];
  /** Field named by whole-conversation errors (`messages`, `conversations`…). */
  field: string;
  /** Tool definitions carried to the normalized record (parsed when given as a JSON string). */
  tools: unknown;
  conversationId: string | null;
  /** false when some turn could not be read (its error is already reported). */
  complete: boolean;
}

export interface IssueSink {
  error(path: string, code: ErrorCode, message: string): void;
  warn(path: string, code: WarningCode, message: string): void;
}

export function turnPath(t: Turn, part: 'content' | 'role' | 'turn'): string {
  if (t.index < 0) return t.field;
  const item = `${t.field}[${t.index}]`;
  if (part === 'turn') return item;
  const key = part === 'role' ? t.roleKey : t.key;
  if (!key) return item;
  return key.startsWith('[') ? item + key : `${item}.${key}`;
}

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'object' ? 'an object' : typeof v);

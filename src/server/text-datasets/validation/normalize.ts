import { ValidationError } from '@/server/errors.ts';
import { checkConversation } from './checks.ts';
import { detectFormat } from './formats/detect.ts';
import { readConversation } from './formats/read.ts';
import { IssueLog } from './issues.ts';
import type { ValidateOptions } from './options.ts';
import type { FormatId, Issue, Role, TextQualityReport } from './report-schema.ts';
import type { ByteSource } from './source.ts';
import { isObject, type Conversation } from './types.ts';
import { Pass } from './validate.ts';

// The training file is OpenAI-style JSONL whatever the upload's format:
//   {"messages":[{"role":"system"|"user"|"assistant"|"tool","content":"…"}], "tools"?: …}
// Tool calls are kept as JSON text in the assistant content; `tools` (definitions) is kept
// when the record had it. The stream variant runs the very same pass as the validator, so it
// writes exactly the conversations the report counts as usable (no bad records, no
// duplicates, nothing over the context), in file order.

export interface NormalizedMessage {
  role: Role;
  content: string;
}

export interface NormalizedRecord {
  messages: NormalizedMessage[];
  tools?: unknown;
}

function toRecord(conv: Conversation): NormalizedRecord {
  const out: NormalizedRecord = { messages: conv.turns.map((t) => ({ role: t.role, content: t.content })) };
  if (conv.tools !== undefined) out.tools = conv.tools;
  return out;
}

/**
 * Converts one parsed record (any accepted format; detected when `format` is omitted) to the
 * normalized shape. Throws ValidationError (details: the issues with their field paths) when
 * the record would be rejected by the validator's structural rules. Token limits are not
 * checked here (no context length); the stream variant does check them.
 */
export function toOpenAiMessages(record: unknown, format?: FormatId): NormalizedRecord {
  const log = new IssueLog(100, 100);
  log.begin(0);
  if (!isObject(record)) throw new ValidationError('A record must be a JSON object.');
  const kind = format ?? detectFormat(record);
  if (kind === 'preference') throw new ValidationError('Preference data (chosen/rejected) is not supported for SFT LoRA.');
  if (kind === 'pretraining' || kind === 'unknown') throw new ValidationError('Unknown record format.', { keys: Object.keys(record).slice(0, 20) });
  const conv = readConversation(record, kind, log);
  checkConversation(conv, log, conv.complete);
  if (log.errorCount > 0) {
    const issues: Omit<Issue, 'line'>[] = log.errors.map(({ path, code, message }) => ({ path, code, message }));
    throw new ValidationError(`The record is not a valid ${kind} conversation: ${issues[0]!.message}`, { issues });
  }
  return toRecord(conv);
}

export interface NormalizeOptions extends ValidateOptions {
  /** Which conversations to write (by the deterministic content-hash split); default all. */
  split?: 'all' | 'train' | 'validation';
}

/**
 * Streams the training file: one JSON line (ending in '\n') per usable conversation, ready to
 * pipe into a file or an upload. The generator's return value is the validation report of the
 * same pass.
 */
export async function* normalizeConversationStream(source: ByteSource, options: NormalizeOptions): AsyncGenerator<string, TextQualityReport> {
  const want = options.split ?? 'all';
  const queue: string[] = [];
  const pass = await Pass.create(options, (conv, _line, split) => {
    if (want === 'all' || want === split) queue.push(`${JSON.stringify(toRecord(conv))}\n`);
  });
  for await (const batch of pass.batches(source)) {
    pass.apply(batch);
    for (const line of queue) yield line;
    queue.length = 0;
  }
  return pass.finish();
}

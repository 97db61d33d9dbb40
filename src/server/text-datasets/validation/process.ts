import { checkConversation } from './checks.ts';
import { ConversationEncoder, inValidation, type Hash64 } from './content-hash.ts';
import { detectFormat, type DetectedKind } from './formats/detect.ts';
import { readConversation } from './formats/read.ts';
import { ADDED, FULL, Hash64Set } from './hash-set.ts';
import { IssueLog } from './issues.ts';
import type { ResolvedOptions } from './options.ts';
import type { Preview } from './report-schema.ts';
import { QuantileSketch } from './sketch.ts';
import { TEMPLATE_OVERHEAD, type TokenCounter } from './tokenizers/index.ts';
import { isObject, type Conversation } from './types.ts';

// The per-record pipeline: JSON.parse → format → turns → rules → tokens → duplicate → split →
// statistics. It owns every counter of the report; `usable` is called for each conversation
// that goes into training (the normalizer writes those).

export type UsableHandler = (conv: Conversation, line: number, split: 'train' | 'validation') => void;

const NEAR_LIMIT = 0.8;

export class RecordProcessor {
  readonly log: IssueLog;
  readonly formatCounts: Partial<Record<DetectedKind, number>> = {};
  readonly firstLine: Partial<Record<DetectedKind, number>> = {};
  readonly perTurn = new QuantileSketch();
  readonly perConversation = new QuantileSketch();
  readonly roles = { system: 0, user: 0, assistant: 0, tool: 0 };
  readonly preview: Preview[] = [];
  records = 0;
  good = 0;
  bad = 0;
  duplicates = 0;
  conversations = 0;
  turns = 0;
  tokens = 0;
  train = 0;
  validation = 0;
  withSystem = 0;
  missingSystem = 0;
  readonly missingSystemLines: number[] = [];
  dedupeFull = false;
  private readonly seen: Hash64Set;
  private readonly tokenBuf: number[] = [];
  private readonly hash: Hash64 = { hi: 0, lo: 0 };
  private readonly encoder = new ConversationEncoder();

  constructor(
    private readonly opts: ResolvedOptions,
    private readonly counter: TokenCounter,
    private readonly usable?: UsableHandler,
  ) {
    this.log = new IssueLog(opts.maxErrors, opts.maxWarnings);
    this.seen = new Hash64Set(opts.maxDedupeConversations);
  }

  /** A record lost before parsing (bad UTF-8, too long): counted as a bad record. */
  lost(): void {
    this.records++;
    this.bad++;
  }

  process(text: string, line: number): void {
    const log = this.log;
    this.records++;
    log.begin(line);
    let rec: unknown;
    try {
      rec = JSON.parse(text);
    } catch (e) {
      log.error('', 'invalid_json', `Invalid JSON: ${(e as Error).message.slice(0, 200)}`);
      this.bad++;
      return;
    }
    if (!isObject(rec)) {
      log.error('', 'not_an_object', `Each record must be a JSON object, got ${Array.isArray(rec) ? 'an array' : rec === null ? 'null' : typeof rec}.`);
      this.bad++;
      return;
    }
    const kind = detectFormat(rec);
    this.formatCounts[kind] = (this.formatCounts[kind] ?? 0) + 1;
    this.firstLine[kind] ??= line;
    if (kind === 'preference' || kind === 'pretraining' || kind === 'unknown') {
      this.refuse(kind, rec);
      this.bad++;
      return;
    }
    const conv = readConversation(rec, kind, log);
    checkConversation(conv, log, conv.complete);

    const turns = conv.turns;
    const tools = conv.tools === undefined ? null : JSON.stringify(conv.tools);
    const perTurn = this.tokenBuf;
    perTurn.length = turns.length;
    this.encoder.hash(turns, tools, this.hash);
    const content = this.counter.count(turns, tools, this.hash.lo, perTurn, this.encoder);
    let total = content + turns.length * TEMPLATE_OVERHEAD.per_message + TEMPLATE_OVERHEAD.per_conversation;
    if (total >= NEAR_LIMIT * this.opts.contextLength) {
      const exact = this.counter.recount(turns, tools, perTurn);
      if (exact !== null) total = exact + turns.length * TEMPLATE_OVERHEAD.per_message + TEMPLATE_OVERHEAD.per_conversation;
    }
    if (total > this.opts.contextLength && turns.length > 0) {
      log.error(conv.field, 'too_many_tokens', `About ${total.toLocaleString('en-US')} tokens (${this.counter.info().id}), more than the base model's context of ${this.opts.contextLength.toLocaleString('en-US')}; shorten or split this conversation.`);
    }
    if (log.recordErrors > 0) {
      this.bad++;
      return;
    }
    this.good++;
    const seen = this.dedupeFull ? FULL : this.seen.add(this.hash.hi, this.hash.lo, line);
    if (seen > ADDED) {
      this.duplicates++;
      log.warn('', 'duplicate_conversation', `Same turns as the conversation on line ${seen}; the duplicate is left out of training.`);
      return;
    }
    if (seen === FULL && !this.dedupeFull) {
      this.dedupeFull = true;
      log.addWarning(line, '', 'duplicates_not_checked', `Duplicate detection stopped after ${this.opts.maxDedupeConversations.toLocaleString('en-US')} distinct conversations (memory cap); later duplicates are not detected.`);
    }
    this.count(conv, line, total);
  }

  private count(conv: Conversation, line: number, total: number): void {
    const turns = conv.turns;
    this.conversations++;
    this.turns += turns.length;
    this.tokens += total;
    this.perConversation.add(total);
    for (let i = 0; i < turns.length; i++) {
      this.roles[turns[i]!.role]++;
      this.perTurn.add(this.tokenBuf[i]!);
    }
    if (turns[0]!.role === 'system') this.withSystem++;
    else {
      this.missingSystem++;
      if (this.missingSystemLines.length < this.opts.maxWarnings) this.missingSystemLines.push(line);
    }
    const split = inValidation(this.hash, this.opts.validationFraction) ? 'validation' : 'train';
    this[split]++;
    if (this.preview.length < this.opts.previewCount) this.addPreview(conv, line);
    this.usable?.(conv, line, split);
  }

  private addPreview(conv: Conversation, line: number): void {
    const max = this.opts.previewChars;
    this.preview.push({
      line,
      format: conv.format,
      conversation_id: conv.conversationId,
      messages: conv.turns.map((t) => ({ role: t.role, content: t.content.length > max ? `${t.content.slice(0, max)}…` : t.content, truncated: t.content.length > max })),
    });
  }

  private refuse(kind: 'preference' | 'pretraining' | 'unknown', rec: Record<string, unknown>): void {
    if (kind === 'preference') {
      const key = ['chosen', 'rejected', 'kto_tag', 'preferred_output', 'non_preferred_output'].find((k) => k in rec)!;
      this.log.error(key, 'preference_data', 'Preference data (chosen/rejected or KTO) is not supported for SFT LoRA: provide conversations that end with the assistant reply to learn.');
    } else if (kind === 'pretraining') {
      this.log.error('text', 'unsupported_format', 'Plain `text` records are pre-training data, not conversations; SFT LoRA needs user/assistant turns.');
    } else {
      const keys = Object.keys(rec).slice(0, 8).map((k) => `\`${k.slice(0, 40)}\``).join(', ') || 'none';
      this.log.error('', 'unknown_format', `Unknown record format (keys: ${keys}); expected \`messages\` (OpenAI), \`conversations\` (ShareGPT), \`conversation_id\` + \`turns\`, or \`instruction\`/\`output\` (Alpaca).`);
    }
  }
}

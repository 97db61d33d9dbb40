import type { ResolvedOptions } from './options.ts';
import type { RecordProcessor } from './process.ts';
import type { RecordReader } from './records.ts';
import { FormatIdSchema, TEXT_REPORT_SCHEMA_VERSION, type FormatId, type TextQualityReport } from './report-schema.ts';
import type { TokenCounter } from './tokenizers/index.ts';

// Builds the report from the processor's counters, with the dataset-level findings that are
// only known at the end (mixed formats, missing system messages) and the verdict:
//   rejected — the file is empty, no usable conversation, or bad records > maxErrorRate;
//   ready    — otherwise; bad records and duplicates are left out of training.

const SFT_FORMATS = new Set<string>(FormatIdSchema.options);
const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1)} %`;
const n = (x: number) => x.toLocaleString('en-US');

function finalize(p: RecordProcessor): { detected: FormatId | null; mixed: boolean } {
  const sft = Object.entries(p.formatCounts).filter(([k]) => SFT_FORMATS.has(k)) as [FormatId, number][];
  sft.sort((a, b) => b[1] - a[1] || (p.firstLine[a[0]] ?? 0) - (p.firstLine[b[0]] ?? 0));
  const detected = sft[0]?.[0] ?? null;
  const mixed = sft.length > 1;
  if (mixed) {
    const list = sft.map(([k, c]) => `${n(c)} ${k}`).join(', ');
    const firstMinority = Math.min(...sft.slice(1).map(([k]) => p.firstLine[k] ?? Infinity));
    p.log.addWarning(firstMinority, '', 'mixed_formats', `Mixed formats (${list}); each record is converted on its own, but a mixed file is often two exports concatenated by mistake.`);
  }
  // "No system message" matters when other conversations have one (the cookbook counts it).
  if (p.withSystem > 0 && p.missingSystem > 0) {
    for (const line of p.missingSystemLines) p.log.addWarning(line, '', 'missing_system_message', 'No system message, while other conversations have one.');
    p.log.countWarnings('missing_system_message', p.missingSystem - p.missingSystemLines.length);
  }
  return { detected, mixed };
}

function verdict(p: RecordProcessor, reader: RecordReader, opts: ResolvedOptions): { verdict: 'ready' | 'rejected'; reasons: string[] } {
  const reasons: string[] = [];
  const judged = p.good + p.bad;
  const rate = judged ? p.bad / judged : 0;
  let rejected = true;
  if (reader.container === 'empty' || p.records === 0) reasons.push('The file has no records.');
  else if (p.conversations === 0) {
    const pref = p.formatCounts.preference ?? 0;
    reasons.push(pref > p.records / 2 ? 'Preference data (chosen/rejected) is not supported for SFT LoRA.' : 'No valid conversation was found.');
  } else if (rate > opts.maxErrorRate) reasons.push(`${pct(rate)} of records have errors, more than the ${pct(opts.maxErrorRate)} allowed; fix the file (the errors list shows where).`);
  else rejected = false;
  if (p.bad > 0 && !rejected) reasons.push(`${n(p.bad)} bad record(s) (${pct(rate)}) will be left out of training.`);
  if (p.duplicates > 0) reasons.push(`${n(p.duplicates)} duplicate conversation(s) will be left out of training.`);
  return { verdict: rejected ? 'rejected' : 'ready', reasons };
}

export function buildReport(p: RecordProcessor, reader: RecordReader, counter: TokenCounter, opts: ResolvedOptions): TextQualityReport {
  const { detected, mixed } = finalize(p);
  const v = verdict(p, reader, opts);
  const byLine = (a: { line: number | null }, b: { line: number | null }) => (a.line ?? Infinity) - (b.line ?? Infinity);
  return {
    schema_version: TEXT_REPORT_SCHEMA_VERSION,
    verdict: v.verdict,
    reasons: v.reasons,
    container: reader.container,
    bytes: reader.bytes,
    lines: reader.lines,
    records: { total: p.records, good: p.good, bad: p.bad, blank_lines: reader.blankLines, duplicates: p.duplicates },
    formats: { detected, counts: { ...p.formatCounts } as Record<string, number>, mixed },
    context_length: opts.contextLength,
    tokenizer: counter.info(),
    stats: {
      conversations: p.conversations,
      turns: p.turns,
      roles: { ...p.roles },
      missing_system: p.missingSystem,
      tokens: { total: p.tokens, per_turn: p.perTurn.summary(), per_conversation: p.perConversation.summary() },
      split: { train: p.train, validation: p.validation, validation_fraction: opts.validationFraction, method: 'content-hash' },
    },
    error_count: p.log.errorCount,
    warning_count: p.log.warningCount,
    error_counts: { ...p.log.errorCounts },
    warning_counts: { ...p.log.warningCounts },
    errors: [...p.log.errors].sort(byLine),
    warnings: [...p.log.warnings].sort(byLine).slice(0, opts.maxWarnings),
    errors_truncated: p.log.errorsTruncated,
    warnings_truncated: p.log.warningCount > Math.min(p.log.warnings.length, opts.maxWarnings),
    preview: p.preview,
    limits: {
      max_errors: opts.maxErrors,
      max_warnings: opts.maxWarnings,
      max_error_rate: opts.maxErrorRate,
      max_line_bytes: opts.maxLineBytes,
      max_dedupe_conversations: opts.maxDedupeConversations,
    },
  };
}

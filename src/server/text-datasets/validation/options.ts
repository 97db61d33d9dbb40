// Options of the streaming validator and their defaults. Numbers here are product decisions,
// documented in README.md; callers (the dataset service) pass the base model's context.

export type TokenizerId = 'approx-bytes' | 'heuristic' | 'llama3-sample' | 'llama3';
export const TOKENIZER_IDS: readonly TokenizerId[] = ['approx-bytes', 'heuristic', 'llama3-sample', 'llama3'];

export interface Progress {
  bytes: number;
  lines: number;
}

export interface ValidateOptions {
  /** The base model's context length in tokens (e.g. 8192). */
  contextLength: number;
  /** How tokens are counted; default `heuristic`. */
  tokenizer?: TokenizerId;
  /** Cap on stored errors (all are counted). */
  maxErrors?: number;
  /** Cap on stored warnings (all are counted). */
  maxWarnings?: number;
  /** Share of conversations put in the validation split, by content hash. */
  validationFraction?: number;
  /** Above this share of bad records the verdict is `rejected`. */
  maxErrorRate?: number;
  /** A line (or array element) longer than this is an error and is never buffered whole. */
  maxLineBytes?: number;
  /** Distinct conversations remembered for duplicate detection (12-byte slots, load ≤ 0.75). */
  maxDedupeConversations?: number;
  /** Called at most every `progressEveryBytes` and once at the end. */
  onProgress?: (p: Progress) => void;
  progressEveryBytes?: number;
  signal?: AbortSignal;
  /** Conversations shown in the report preview. */
  previewCount?: number;
  /** Characters kept per previewed message. */
  previewChars?: number;
}

export type ResolvedOptions = Required<Omit<ValidateOptions, 'onProgress' | 'signal'>> & Pick<ValidateOptions, 'onProgress' | 'signal'>;

export const DEFAULTS = {
  tokenizer: 'heuristic',
  maxErrors: 10_000,
  maxWarnings: 10_000,
  validationFraction: 0.1,
  // 10 %: beyond that the file almost always has a systematic problem (wrong format, wrong
  // export) and training on the remaining 90 % would hide it. Below it, bad records are skipped.
  maxErrorRate: 0.1,
  // 16 MiB ≈ 4M tokens, far beyond any context we train; such a line is an export accident.
  maxLineBytes: 16 * 1024 * 1024,
  // 6M conversations → at most 8M slots × 12 bytes = 96 MiB (hash-set.ts).
  maxDedupeConversations: 6_000_000,
  progressEveryBytes: 4 * 1024 * 1024,
  previewCount: 3,
  previewChars: 500,
} as const satisfies Omit<ResolvedOptions, 'contextLength' | 'onProgress' | 'signal'>;

export function resolveOptions(opts: ValidateOptions): ResolvedOptions {
  if (!Number.isInteger(opts.contextLength) || opts.contextLength <= 0) throw new RangeError('contextLength must be a positive integer');
  const fraction = opts.validationFraction ?? DEFAULTS.validationFraction;
  if (!(fraction >= 0 && fraction < 1)) throw new RangeError('validationFraction must be in [0, 1)');
  return {
    contextLength: opts.contextLength,
    tokenizer: opts.tokenizer ?? DEFAULTS.tokenizer,
    maxErrors: opts.maxErrors ?? DEFAULTS.maxErrors,
    maxWarnings: opts.maxWarnings ?? DEFAULTS.maxWarnings,
    validationFraction: fraction,
    maxErrorRate: opts.maxErrorRate ?? DEFAULTS.maxErrorRate,
    maxLineBytes: opts.maxLineBytes ?? DEFAULTS.maxLineBytes,
    maxDedupeConversations: opts.maxDedupeConversations ?? DEFAULTS.maxDedupeConversations,
    progressEveryBytes: opts.progressEveryBytes ?? DEFAULTS.progressEveryBytes,
    previewCount: opts.previewCount ?? DEFAULTS.previewCount,
    previewChars: opts.previewChars ?? DEFAULTS.previewChars,
    onProgress: opts.onProgress,
    signal: opts.signal,
  };
}

import { z } from 'zod';

// The persisted text quality report (lora_datasets.quality_report_json for text datasets):
// snake_case JSON, versioned. Bump TEXT_REPORT_SCHEMA_VERSION on a breaking change and keep
// readers of older versions. Every issue carries its line and field path so the UI can point
// at the exact place; `error_count` counts all errors even when `errors` is capped.

export const TEXT_REPORT_SCHEMA_VERSION = 1 as const;

export const RoleSchema = z.enum(['system', 'user', 'assistant', 'tool']).describe('Normalized (OpenAI) role.');
export type Role = z.infer<typeof RoleSchema>;

export const FormatIdSchema = z
  .enum(['openai', 'llamafactory_v1', 'sharegpt', 'sharegpt_messages', 'alpaca', 'turns_v3', 'turns_v4'])
  .describe('Accepted conversation formats; see the validation README for each shape.');
export type FormatId = z.infer<typeof FormatIdSchema>;

export const ErrorCodeSchema = z
  .enum([
    'invalid_utf8',
    'invalid_json',
    'invalid_json_array',
    'line_too_long',
    'not_an_object',
    'unknown_format',
    'unsupported_format',
    'preference_data',
    'missing_field',
    'invalid_type',
    'unknown_role',
    'unsupported_content',
    'empty_content',
    'empty_conversation',
    'missing_user_turn',
    'invalid_role_order',
    'last_turn_not_assistant',
    'too_many_tokens',
  ])
  .describe('Stable machine code of an error (the record is not used).');
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

export const WarningCodeSchema = z
  .enum(['missing_system_message', 'duplicate_conversation', 'mixed_formats', 'media_not_included', 'ignored_field', 'duplicates_not_checked'])
  .describe('Stable machine code of a warning (the record is still used, except duplicates).');
export type WarningCode = z.infer<typeof WarningCodeSchema>;

export const IssueSchema = z
  .object({
    line: z.number().int().nullable().describe('1-based physical line (JSON arrays: where the element starts); null for dataset-level findings.'),
    path: z.string().describe('Field path inside the record, e.g. `messages[2].content`; empty for the whole record.'),
    code: z.union([ErrorCodeSchema, WarningCodeSchema]),
    message: z.string().describe('What is wrong, in a sentence.'),
  })
  .describe('One finding located by line and field.');
export type Issue = z.infer<typeof IssueSchema>;

export const DistributionSchema = z
  .object({
    count: z.number().int(),
    min: z.number(),
    max: z.number(),
    mean: z.number(),
    p50: z.number(),
    p90: z.number(),
    p99: z.number(),
  })
  .describe('Token distribution; percentiles from a log-bucket sketch (≤ 1 % relative error), min/max/mean exact.');
export type Distribution = z.infer<typeof DistributionSchema>;

export const TokenizerInfoSchema = z
  .object({
    id: z.string().describe('Tokenizer option used, e.g. `heuristic`.'),
    name: z.string().describe('Human name of the tokenizer.'),
    exact: z.boolean().describe('false when counts are estimates.'),
    method: z.enum(['full', 'sample-extrapolated']).describe('full: every text counted; sample-extrapolated: an exact tokenizer ran on a sample and scaled the estimate.'),
    note: z.string().describe('What the counts mean and how far to trust them.'),
    template_overhead: z.object({ per_message: z.number().int(), per_conversation: z.number().int() }).describe('Chat-template tokens added to content tokens (Llama 3 style headers, BOS).'),
    sample: z
      .object({ conversations: z.number().int(), bytes: z.number().int(), correction_factor: z.number() })
      .nullable()
      .describe('For sample-extrapolated counts: what was tokenized exactly and the exact/estimate ratio applied.'),
  })
  .describe('Which tokenizer produced the token counts.');
export type TokenizerInfo = z.infer<typeof TokenizerInfoSchema>;

const count = z.number().int().nonnegative();

export const PreviewSchema = z
  .object({
    line: z.number().int(),
    format: FormatIdSchema,
    conversation_id: z.string().nullable(),
    messages: z.array(z.object({ role: RoleSchema, content: z.string(), truncated: z.boolean() })),
  })
  .describe('A normalized conversation, content truncated for display.');
export type Preview = z.infer<typeof PreviewSchema>;

export const TextQualityReportSchema = z
  .object({
    schema_version: z.literal(TEXT_REPORT_SCHEMA_VERSION),
    verdict: z.enum(['ready', 'rejected']).describe('rejected disables training.'),
    reasons: z.array(z.string()).describe('Human sentences behind the verdict and the main warnings.'),
    container: z.enum(['jsonl', 'json_array', 'empty']).describe('Detected from the first non-whitespace byte.'),
    bytes: count,
    lines: count.describe('Physical lines read.'),
    records: z
      .object({
        total: count.describe('JSONL: non-blank lines; arrays: elements.'),
        good: count.describe('Records without errors (duplicates included).'),
        bad: count.describe('Records with at least one error; excluded from training.'),
        blank_lines: count,
        duplicates: count.describe('Good records whose normalized conversation appeared before; excluded from training.'),
      })
      .describe('How many lines/elements are good and bad.'),
    formats: z.object({
      detected: FormatIdSchema.nullable().describe('Majority format among good records.'),
      counts: z.record(z.string(), count).describe('Records per detected format (including non-SFT kinds such as `preference`).'),
      mixed: z.boolean(),
    }),
    context_length: count,
    tokenizer: TokenizerInfoSchema,
    stats: z.object({
      conversations: count.describe('Usable conversations: good and not duplicate.'),
      turns: count,
      roles: z.object({ system: count, user: count, assistant: count, tool: count }),
      missing_system: count.describe('Usable conversations without a system message.'),
      tokens: z.object({
        total: count,
        per_turn: DistributionSchema.describe('Content tokens of one turn (no template overhead).'),
        per_conversation: DistributionSchema.describe('Content + template overhead: what is compared with the context length.'),
      }),
      split: z.object({
        train: count,
        validation: count,
        validation_fraction: z.number(),
        method: z.literal('content-hash').describe('Deterministic: a conversation always lands in the same split.'),
      }),
    }),
    error_count: count,
    warning_count: count,
    error_counts: z.partialRecord(ErrorCodeSchema, count).describe('All errors by code (not capped).'),
    warning_counts: z.partialRecord(WarningCodeSchema, count).describe('All warnings by code (not capped).'),
    errors: z.array(IssueSchema).describe('The first `limits.max_errors` errors, in file order.'),
    warnings: z.array(IssueSchema).describe('The first `limits.max_warnings` warnings.'),
    errors_truncated: z.boolean(),
    warnings_truncated: z.boolean(),
    preview: z.array(PreviewSchema),
    limits: z.object({
      max_errors: count,
      max_warnings: count,
      max_error_rate: z.number().describe('Above this share of bad records the dataset is rejected.'),
      max_line_bytes: count,
      max_dedupe_conversations: count,
    }),
  })
  .describe('Quality report of a text (LLM) conversation dataset.');
export type TextQualityReport = z.infer<typeof TextQualityReportSchema>;

// Public API of the text (LLM) dataset validator (pure: no database, no storage, no env).
export { validateConversationStream } from './validate.ts';
export { toOpenAiMessages, normalizeConversationStream, type NormalizedMessage, type NormalizedRecord, type NormalizeOptions } from './normalize.ts';
export { DEFAULTS as TEXT_VALIDATION_DEFAULTS, TOKENIZER_IDS, type ValidateOptions, type TokenizerId, type Progress } from './options.ts';
export { detectFormat, type DetectedKind } from './formats/detect.ts';
export { heuristicTokens } from './tokenizers/heuristic.ts';
export { TEMPLATE_OVERHEAD } from './tokenizers/index.ts';
export type { ByteSource } from './source.ts';
export * from './report-schema.ts';

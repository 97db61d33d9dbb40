// Public API of the prompt compiler (pure: no database, no env, no IO).
export { compilePrompt, type CompilePromptArgs } from './compile.ts';
export { BLOCK_IDS, BlockId, LoraWeightRange, PlatformCapabilities, PromptProfile, StructuredRequestKind } from './profile.ts';
export {
  ActiveIdentity,
  CharacterPackContent,
  CompiledPrompt,
  CompileInput,
  CompileRequest,
  PromptBlock,
  MAX_SCENE_CHARS,
} from './schemas.ts';
export { buildCharacterPack, renderCharacterPackReadme } from './character-pack.ts';
export {
  candidateFromReportItem,
  referenceScore,
  selectReferenceImages,
  REFERENCE_POSE_ORDER,
  type ReferenceCandidate,
  type ReferencePose,
} from './reference-images.ts';
export { ARTIFACT_URL_PLACEHOLDER, fillArtifactUrl, type ReplicateFluxRequest } from './structured/replicate-flux.ts';
export { BASE_MODEL_PLACEHOLDER, shellQuote, type LlmServingRequest } from './structured/llm-serving.ts';
export { formatWeight, resolveWeight, stableJson } from './format.ts';
export { loraName, sanitizeIdentifier } from './identifiers.ts';
export { cleanProse } from './text.ts';
export { BLOCK_SEPARATOR } from './blocks.ts';

// Public API of the image dataset validation engine (pure: no database, no storage).
export { inspectImage, sha256Hex, type InspectOptions, type InspectResult } from './inspect.ts';
export { normalizeImage, type NormalizeOptions, type NormalizedImage } from './normalize.ts';
export { createFaceAnalyzer, sharedFaceAnalyzer, resolveWorkerPath, type FaceAnalyzer, type FaceAnalyzerOptions, type FaceWorkerStats } from './face-analyzer.ts';
export { buildQualityReport, type BuildQualityReportInput } from './report.ts';
export { validateImages, collectItemFacts, type ImageInput, type ValidateImagesOptions } from './validate.ts';
export { sniffFormat, type SniffedFormat } from './sniff.ts';
export { hammingDistance, phashFromGrey32, phashPairFromGrey32 } from './phash.ts';
export { nearDistance, exactDuplicateGroups, nearDuplicateClusters } from './clusters.ts';
export { cosineSimilarity, identityScores } from './identity.ts';
export { poseBucket, POSE_BUCKETS, type PoseBucket } from './pose.ts';
export {
  KIND_LIMITS,
  BASE_MODEL_DEFAULTS,
  DEFAULT_THRESHOLDS,
  resolveThresholds,
  ImageKindSchema,
  CountLimitsSchema,
  BaseModelSpecSchema,
  ThresholdsSchema,
  type ImageKind,
  type CountLimits,
  type BaseModelSpec,
  type Thresholds,
} from './config.ts';
export * from './schemas.ts';
export * from './report-schema.ts';

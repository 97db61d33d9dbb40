// Tunables of the training pipeline. Plain constants (not env): they are product decisions,
// and tests read them instead of guessing.
export const JOB_CONFIG = {
  /** Attempts per job before lease expiry / retryable failures give up. */
  maxAttempts: 3,
  /** A job must finish within this long of being queued (or re-queued by a retry). */
  deadlineHours: 24,
  /** Pull-mode lease length and the heartbeat interval we ask for (3 missed beats = expiry). */
  leaseSeconds: 90,
  heartbeatSeconds: 30,
  /**
   * Jobs one lease call looks at: each whose spec cannot be built (pinned dataset gone or
   * changed) is failed on the way to one it can hand out; after this many it answers 204 and
   * the worker's next call goes on.
   */
  leaseMaxPicks: 10,
  /** Push dispatch retry: exponential from base, capped, while the worker is unreachable. */
  dispatchBackoffBaseSeconds: 5,
  dispatchBackoffCapSeconds: 600,
  /** How long a push dispatch claim blocks other replicas from sending the same job. */
  dispatchClaimSeconds: 60,
  /** Replicate jobs with no update for this long are polled (a webhook may have been lost). */
  pollAfterSeconds: 120,
  /** A `job.succeeded` whose verification did not finish (crash mid-way) is redone after this. */
  verifyStaleSeconds: 600,
  /** Upload slots handed to a worker. */
  sampleSlots: 16,
  checkpointSlots: 8,
  artifactMaxBytes: 4 * 1024 ** 3,
  sampleMaxBytes: 16 * 1024 ** 2,
  logMaxBytes: 64 * 1024 ** 2,
  extraFileMaxBytes: 64 * 1024 ** 2,
  /** Largest safetensors JSON header we read (real LoRA headers are well under 1 MB). */
  maxSafetensorsHeaderBytes: 16 * 1024 ** 2,
} as const;

/** USD per GPU-hour by GPU class, matched against the GPU name the worker reports. */
export const GPU_PRICES_PER_HOUR: readonly { match: RegExp; usd: number }[] = [
  { match: /h100/i, usd: 3.5 },
  { match: /a100.*80/i, usd: 2.2 },
  { match: /a100/i, usd: 1.6 },
  { match: /l40s/i, usd: 1.2 },
  { match: /a10g?\b|a10\b/i, usd: 0.9 },
];
export const DEFAULT_GPU_PRICE_PER_HOUR = 2.0;

export function pricePerGpuHour(gpuName: string | null | undefined): number {
  if (!gpuName) return DEFAULT_GPU_PRICE_PER_HOUR;
  return GPU_PRICES_PER_HOUR.find((p) => p.match.test(gpuName))?.usd ?? DEFAULT_GPU_PRICE_PER_HOUR;
}

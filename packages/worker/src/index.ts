// @lora-studio/worker — the reference worker as a library: the same pieces the CLI wires up,
// for embedding a worker in another process or testing against one.
export { startPullWorker, PullAuthError, type PullWorker, type PullWorkerOptions } from './pull/worker.ts';
export { ControlPlaneClient } from './pull/client.ts';
export { startPushServer, type PushServer, type PushServerOptions } from './push/server.ts';
export { startJob, type JobDeps, type JobOutcome, type RunningJob, type GpuInfo } from './runner/job.ts';
export type { StopCause } from './runner/stop.ts';
export { EventOutbox, type OutboxOptions } from './events/outbox.ts';
export { BACKEND_FACTORIES, BACKEND_IDS, createBackends, isBackendId, type BackendOptions } from './backends/registry.ts';
export { buildCapabilities, detectGpu, parseGpuFlag, parseNvidiaSmi, BACKEND_SUPPORT } from './capabilities.ts';
export { extractZip, DEFAULT_UNZIP_LIMITS, type UnzipLimits } from './io/unzip.ts';
export { createStderrLogger, silentLogger, type Logger } from './io/logger.ts';
export * from './backends/types.ts';

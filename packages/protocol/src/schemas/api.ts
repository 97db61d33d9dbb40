import { z } from 'zod';
import { Attempt, BackendId, BaseFamily, IsoDateTime, JobId, Modality, StepNumber, WorkerId } from './common.ts';
import { JobSpec } from './job-spec.ts';

// Pull mode (worker_pool): POST /api/workers/lease and /api/workers/heartbeat.

export const WorkerCapabilities = z
  .object({
    modalities: z.array(Modality).min(1).describe('Modalities the worker can train'),
    base_families: z.array(BaseFamily).min(1).describe('Base model families it has (or can fetch)'),
    backends: z.array(BackendId).min(1).describe('Backends installed on it'),
    gpu: z
      .object({
        name: z.string().min(1).max(200).describe('GPU model, e.g. NVIDIA A100-SXM4-80GB'),
        vram_mb: z.int().positive().describe('Memory per GPU, MiB'),
        count: z.int().positive().max(64).describe('Number of GPUs'),
      })
      .nullable()
      .describe('GPUs available; null for CPU-only workers'),
  })
  .describe('What a worker can run');
export type WorkerCapabilities = z.infer<typeof WorkerCapabilities>;

export const LeaseRequest = z
  .object({
    worker_id: WorkerId,
    capabilities: WorkerCapabilities,
    max_jobs: z.int().min(1).max(16).optional().describe('Jobs the worker will take at once (default 1)'),
  })
  .describe('Ask for a job to run');
export type LeaseRequest = z.infer<typeof LeaseRequest>;

export const SigningSecret = z
  .string()
  .regex(/^whsec_[A-Za-z0-9+/]+={0,2}$/, 'expected whsec_<base64>')
  .describe('Standard Webhooks secret');

export const LeaseResponse = z
  .object({
    spec: JobSpec,
    signing_secret: SigningSecret.describe('Key for this job attempt only; signs its events'),
    lease_expires_at: IsoDateTime.describe('Lease end unless extended by a heartbeat'),
  })
  .describe('A leased job (204 No Content when there is none)');
export type LeaseResponse = z.infer<typeof LeaseResponse>;

export const HeartbeatRequest = z
  .object({
    worker_id: WorkerId,
    job_id: JobId,
    attempt: Attempt,
    step: StepNumber.optional().describe('Latest step, for liveness display'),
  })
  .describe('Keep a lease alive');
export type HeartbeatRequest = z.infer<typeof HeartbeatRequest>;

export const HeartbeatResponse = z
  .object({
    cancel: z.boolean().describe('True when the user canceled: stop and send job.canceled'),
    lease_expires_at: IsoDateTime.nullable().describe('New lease end; null when the lease is gone'),
  })
  .describe('Heartbeat answer');
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

// Push mode (webhook_worker): POST {WORKER_URL}/v1/jobs answers 202 with this body.
export const PushAccepted = z
  .object({
    external_job_id: z.string().min(1).max(200).describe("The worker's own id for the job"),
  })
  .describe('Push dispatch accepted');
export type PushAccepted = z.infer<typeof PushAccepted>;

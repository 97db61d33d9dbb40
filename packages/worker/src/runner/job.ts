// One attempt of one job, start to finish: select a backend → job.started → download and
// verify the dataset → train → upload outputs → upload the log → exactly one terminal event
// (job.succeeded / job.failed / job.canceled) → delivered before `done` resolves (bounded
// only after a shutdown). The work dir is always removed.
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobSpec, JobSucceededData, UploadSlot, WorkerCapabilities } from '@lora-studio/protocol';
import type { TrainerBackend } from '../backends/types.ts';
import { EventOutbox } from '../events/outbox.ts';
import type { BackoffOptions } from '../io/backoff.ts';
import type { Logger } from '../io/logger.ts';
import { ARTIFACT_RETRY, TRANSFER_RETRY, type RetryOptions } from '../io/retry.ts';
import { DEFAULT_UNZIP_LIMITS, type UnzipLimits } from '../io/unzip.ts';
import { uploadFile } from '../io/upload.ts';
import { BackendEventPump } from './backend-events.ts';
import { prepareDataset } from './dataset.ts';
import type { Emit } from './emit.ts';
import { JobFailure, TransientError } from './failure.ts';
import { JobLog } from './job-log.ts';
import { sanitizeSummary } from './limits.ts';
import { terminalFor, type Terminal } from './outcome.ts';
import { uploadOutputs } from './outputs.ts';
import { assertSpecParams } from './params.ts';
import { selectBackend } from './select-backend.ts';
import { JobStop, type StopCause } from './stop.ts';

export type GpuInfo = NonNullable<WorkerCapabilities['gpu']>;

export interface JobDeps {
  workerId: string;
  backends: readonly TrainerBackend[];
  gpu: GpuInfo | null;
  /** Parent of the per-job work dirs. */
  workRoot: string;
  /** Signs this attempt's events: the lease's secret (pull) or the derived one (push). */
  signingSecret: string;
  log: Logger;
  eventBackoff?: BackoffOptions;
  /** Overrides the retry policy of every download and upload (tests use short waits). */
  transferRetry?: RetryOptions;
  unzipLimits?: UnzipLimits;
  /** How long log lines wait to be batched into one job.log event. Default 1 s. */
  logBatchMs?: number;
  /** After a shutdown, how long the last events may take to be delivered. Default 10 s. */
  shutdownDrainMs?: number;
}

export type JobStatusOutcome = 'succeeded' | 'failed' | 'canceled';

export interface JobOutcome {
  status: JobStatusOutcome;
  /** job.failed code, null otherwise. */
  code: string | null;
  /** False when some events could not be delivered before the worker gave up (shutdown). */
  delivered: boolean;
}

export interface RunningJob {
  readonly spec: JobSpec;
  /** Latest training step, for heartbeats. */
  readonly step: number;
  stop(cause: StopCause): void;
  readonly done: Promise<JobOutcome>;
}

type Succeeded = { type: 'job.succeeded'; data: JobSucceededData };

export function startJob(spec: JobSpec, deps: JobDeps): RunningJob {
  const stop = new JobStop(spec.deadline);
  const drainLimit = new AbortController();
  const outbox = new EventOutbox({
    eventsUrl: spec.callback.events_url,
    jobId: spec.job_id,
    attempt: spec.attempt,
    secret: deps.signingSecret,
    log: deps.log,
    ...(deps.eventBackoff ? { backoff: deps.eventBackoff } : {}),
  });
  const state: { pump: BackendEventPump | null } = { pump: null };
  const done = runAttempt(spec, deps, stop, outbox, state, drainLimit.signal);
  return {
    spec,
    get step() {
      return state.pump?.step ?? 0;
    },
    stop(cause: StopCause) {
      stop.stop(cause);
      if (cause.kind === 'shutdown') setTimeout(() => drainLimit.abort(), deps.shutdownDrainMs ?? 10_000).unref();
    },
    done,
  };
}

async function runAttempt(
  spec: JobSpec,
  deps: JobDeps,
  stop: JobStop,
  outbox: EventOutbox,
  state: { pump: BackendEventPump | null },
  drainSignal: AbortSignal,
): Promise<JobOutcome> {
  const startedAt = Date.now();
  const jobDir = join(deps.workRoot, `${spec.job_id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)}-${spec.attempt}-${randomBytes(4).toString('hex')}`);
  const scratchDir = join(jobDir, '.worker');
  const dirError = await mkdir(scratchDir, { recursive: true }).then(() => null, (err: Error) => err);
  const jobLog = new JobLog({
    path: join(scratchDir, 'job.log'),
    maxFileBytes: spec.outputs.logs.max_bytes,
    batchMs: deps.logBatchMs ?? 1000,
    send: (stream, lines) => outbox.enqueue('job.log', { stream, lines }),
  });
  const emit: Emit = (type, data) => {
    if (type !== 'job.log') jobLog.flush();
    outbox.enqueue(type, data);
  };
  const note = (line: string) => jobLog.add('worker', [line]);
  const upload = (path: string, slot: UploadSlot, what: string, retry = TRANSFER_RETRY) =>
    uploadFile({ path, slot, what, signal: stop.signal, log: deps.log, retry: deps.transferRetry ?? retry });
  const pump = new BackendEventPump({ spec, emit, jobLog, log: deps.log, upload, stopping: () => stop.signal.aborted });
  state.pump = pump;
  const throwIfStopped = () => {
    if (stop.signal.aborted) throw stop.signal.reason;
  };

  let terminal: Succeeded | Terminal;
  try {
    throwIfStopped();
    if (dirError) throw new JobFailure('work_dir_error', `cannot create the work dir ${jobDir}: ${dirError.message}`, true);
    assertSpecParams(spec);
    const backend = selectBackend(spec, deps.backends);
    emit('job.started', { worker_id: deps.workerId, backend: backend.id, gpu: deps.gpu?.name ?? null });
    emit('job.progress', { step: 0, total_steps: pump.totalSteps, stage: 'downloading' });
    const datasetDir = await prepareDataset({
      spec,
      jobDir,
      scratchDir,
      signal: stop.signal,
      log: deps.log,
      limits: deps.unzipLimits ?? DEFAULT_UNZIP_LIMITS,
      ...(deps.transferRetry ? { retry: deps.transferRetry } : {}),
      note,
    });
    throwIfStopped();
    emit('job.progress', { step: 0, total_steps: pump.totalSteps, stage: 'training' });
    note(`training with the ${backend.id} backend`);
    pump.startTraining();
    let result;
    try {
      result = await backend.run({ spec, workDir: jobDir, datasetDir, signal: stop.signal, emit: pump.push });
    } finally {
      await pump.close();
    }
    throwIfStopped();
    emit('job.progress', { step: pump.step, total_steps: pump.totalSteps, stage: 'uploading' });
    const finalUpload = (path: string, slot: UploadSlot, what: string) => upload(path, slot, what, ARTIFACT_RETRY).catch(asUploadFailure);
    const { artifact, files } = await uploadOutputs(spec, result, finalUpload);
    note(`uploaded the artifact to ${artifact.key}: ${artifact.bytes} bytes, sha256 ${artifact.sha256}`);
    const wallSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
    terminal = {
      type: 'job.succeeded',
      data: {
        artifact,
        files,
        summary: sanitizeSummary({ wall_seconds: wallSeconds, ...result.summary }),
        // GPU time is wall time × GPUs held for the whole attempt; a CPU worker uses none.
        gpu_seconds: deps.gpu ? Math.round(wallSeconds * deps.gpu.count * 10) / 10 : 0,
      },
    };
  } catch (err) {
    await pump.close();
    terminal = terminalFor(err, stop.cause, jobLog.lastLines());
    if (terminal.type === 'job.failed') note(`job failed (${terminal.data.code}): ${terminal.data.message}`);
    else note(`job canceled: ${terminal.data.reason ?? 'no reason given'}`);
    if (!stop.cause) deps.log.warn('job failed', { job_id: spec.job_id, attempt: spec.attempt, error: String(err) });
  }

  try {
    await uploadLog(jobLog, spec.outputs.logs, stop.cause?.kind === 'shutdown' ? 3_000 : 30_000, deps);
    emit(terminal.type, terminal.data);
  } finally {
    stop.dispose();
    await rm(jobDir, { recursive: true, force: true }).catch((err) => deps.log.warn('could not remove the work dir', { jobDir, error: String(err) }));
  }
  const delivered = await outbox.drain(drainSignal);
  outbox.close();
  const status = terminal.type === 'job.succeeded' ? 'succeeded' : terminal.type === 'job.failed' ? 'failed' : 'canceled';
  const code = terminal.type === 'job.failed' ? terminal.data.code : null;
  deps.log.info('job finished', { job_id: spec.job_id, attempt: spec.attempt, status, code, events_delivered: delivered });
  return { status, code, delivered };
}

/** The log is a convenience copy of the job.log events: failing to upload it is not a job failure. */
async function uploadLog(jobLog: JobLog, slot: UploadSlot, timeoutMs: number, deps: JobDeps): Promise<void> {
  const path = await jobLog.close();
  try {
    await uploadFile({ path, slot, what: 'job log', signal: AbortSignal.timeout(timeoutMs), log: deps.log, retry: { tries: 2, baseMs: 500, capMs: 2000 } });
  } catch (err) {
    deps.log.warn('could not upload the job log', { key: slot.key, error: String(err) });
  }
}

function asUploadFailure(err: unknown): never {
  if (err instanceof TransientError) throw new JobFailure('upload_failed', err.message, true);
  throw err;
}

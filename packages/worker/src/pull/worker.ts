// Pull mode: lease jobs from the control plane and run up to `concurrency` at once.
// 200 → run it; 204 → idle ~2 s (with jitter); 401 → stop (the token is wrong); 5xx or a
// network error → back off and retry. Each job heartbeats until its last event is delivered.
import type { JobSpec, WorkerCapabilities } from '@lora-studio/protocol';
import type { TrainerBackend } from '../backends/types.ts';
import { backoffDelay, sleep, withJitter, type BackoffOptions } from '../io/backoff.ts';
import type { Logger } from '../io/logger.ts';
import { startJob, type JobDeps, type RunningJob } from '../runner/job.ts';
import { ControlPlaneClient } from './client.ts';
import { startHeartbeat } from './heartbeat.ts';

export interface PullWorkerOptions {
  controlPlane: string;
  token: string;
  workerId: string;
  capabilities: WorkerCapabilities;
  backends: readonly TrainerBackend[];
  concurrency: number;
  workRoot: string;
  log: Logger;
  /** Pause after a 204, before jitter. Default 2 s. */
  idleMs?: number;
  leaseBackoff?: BackoffOptions;
  /** Passed to every job (event backoff, retries, limits…). */
  jobOptions?: Partial<Omit<JobDeps, 'workerId' | 'backends' | 'gpu' | 'workRoot' | 'signingSecret' | 'log'>>;
}

export interface PullWorker {
  /** Resolves after shutdown(); rejects with PullAuthError when the token is refused. */
  readonly done: Promise<void>;
  running(): RunningJob[];
  /** Stops leasing, reports every running job as worker_shutdown, waits for them. */
  shutdown(reason: string): Promise<void>;
}

export class PullAuthError extends Error {
  override readonly name = 'PullAuthError';
}

export function startPullWorker(opts: PullWorkerOptions): PullWorker {
  const client = new ControlPlaneClient({ baseUrl: opts.controlPlane, token: opts.token });
  const jobs = new Map<string, { job: RunningJob; finished: Promise<void> }>();
  const stopping = new AbortController();
  // A lease request is not cut off the moment shutdown starts: if it brings a job, that job is
  // handed back at once as worker_shutdown (re-queued now, not when its lease runs out).
  const leaseAbort = new AbortController();
  let shutdownReason = 'shutdown';

  const run = (spec: JobSpec, secret: string) => {
    const job = startJob(spec, { ...opts.jobOptions, workerId: opts.workerId, backends: opts.backends, gpu: opts.capabilities.gpu, workRoot: opts.workRoot, signingSecret: secret, log: opts.log });
    const stopBeat = startHeartbeat(job, { client, workerId: opts.workerId, log: opts.log });
    const key = `${spec.job_id}#${spec.attempt}`;
    const finished = job.done
      .catch((err) => opts.log.error('job crashed', { job_id: spec.job_id, error: String(err) }))
      .then(() => {
        stopBeat();
        jobs.delete(key);
      });
    jobs.set(key, { job, finished });
    // A lease that was in flight when shutdown began: hand it straight back.
    if (stopping.signal.aborted) job.stop({ kind: 'shutdown', reason: shutdownReason });
  };

  const loop = async () => {
    let failures = 0;
    opts.log.info('pull worker started', { control_plane: opts.controlPlane, worker_id: opts.workerId, concurrency: opts.concurrency });
    while (!stopping.signal.aborted) {
      if (jobs.size >= opts.concurrency) {
        await Promise.race([...[...jobs.values()].map((j) => j.finished), sleep(60_000, stopping.signal)]);
        continue;
      }
      const result = await client.lease(
        { worker_id: opts.workerId, capabilities: opts.capabilities, max_jobs: opts.concurrency },
        leaseAbort.signal,
      );
      if (result.kind === 'job') {
        failures = 0;
        const { spec } = result.lease;
        opts.log.info('leased a job', { job_id: spec.job_id, attempt: spec.attempt, lease_expires_at: result.lease.lease_expires_at });
        run(spec, result.lease.signing_secret);
        continue;
      }
      if (stopping.signal.aborted) break;
      if (result.kind === 'none') {
        failures = 0;
        await sleep(withJitter(opts.idleMs ?? 2000), stopping.signal);
      } else if (result.kind === 'unauthorized') {
        throw new PullAuthError(`the control plane refused the worker token (${result.message}): check --token / LORA_STUDIO_WORKER_TOKEN`);
      } else if (result.kind === 'fatal') {
        throw new Error(`the control plane refused the lease request: ${result.message}`);
      } else {
        failures++;
        const delay = Math.max(backoffDelay(failures, opts.leaseBackoff ?? { baseMs: 1000, capMs: 30_000 }), result.retryAfterMs ?? 0);
        opts.log.warn('lease request failed, retrying', { error: result.message, delay_ms: delay });
        await sleep(delay, stopping.signal);
      }
    }
  };

  const done = loop().finally(async () => {
    // On a fatal error, let running jobs finish and report before giving up.
    await Promise.all([...jobs.values()].map((j) => j.finished));
  });
  done.catch(() => {}); // the caller awaits `done`; this only avoids an unhandled rejection meanwhile

  return {
    done,
    running: () => [...jobs.values()].map((j) => j.job),
    async shutdown(reason: string) {
      shutdownReason = reason;
      stopping.abort();
      setTimeout(() => leaseAbort.abort(), 5_000).unref();
      for (const { job } of jobs.values()) job.stop({ kind: 'shutdown', reason });
      await Promise.all([...jobs.values()].map((j) => j.finished));
      await done.catch(() => {});
    },
  };
}

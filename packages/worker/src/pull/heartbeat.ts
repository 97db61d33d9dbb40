// Keeps a leased job alive: POST the heartbeat every `heartbeat_interval_seconds` while the job
// runs (including while its last events are being delivered). `cancel: true` stops the job
// (reported as job.canceled); a lease the control plane no longer knows stops it too.
import type { Logger } from '../io/logger.ts';
import { sleep } from '../io/backoff.ts';
import type { RunningJob } from '../runner/job.ts';
import type { ControlPlaneClient } from './client.ts';

export function startHeartbeat(job: RunningJob, opts: { client: ControlPlaneClient; workerId: string; log: Logger }): () => void {
  const stopped = new AbortController();
  const { spec } = job;
  const url = spec.callback.heartbeat_url ?? opts.client.defaultHeartbeatUrl;
  const intervalMs = (spec.lease?.heartbeat_interval_seconds ?? 30) * 1000;
  void (async () => {
    while (!stopped.signal.aborted) {
      await sleep(intervalMs, stopped.signal);
      if (stopped.signal.aborted) return;
      const result = await opts.client.heartbeat(url, { worker_id: opts.workerId, job_id: spec.job_id, attempt: spec.attempt, step: job.step }, stopped.signal);
      if (stopped.signal.aborted) return;
      if (result.kind === 'error') {
        // Keep going: the lease outlives a few missed beats, and the outbox is retrying too.
        opts.log.warn('heartbeat failed', { job_id: spec.job_id, error: result.message });
        continue;
      }
      if (result.answer.cancel) {
        opts.log.info('control plane asked to cancel the job', { job_id: spec.job_id });
        job.stop({ kind: 'cancel', reason: 'canceled on the control plane' });
      } else if (result.answer.lease_expires_at === null) {
        opts.log.warn('control plane no longer holds a lease for this job; stopping it', { job_id: spec.job_id });
        job.stop({ kind: 'lease_lost', reason: 'the heartbeat answered with no lease' });
      }
    }
  })();
  return () => stopped.abort();
}

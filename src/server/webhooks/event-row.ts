// How a worker event is stored in job_events (the source of SSE, loss curves and logs).
// Lifecycle reports (started/succeeded/failed/canceled) are `status` rows carrying the
// worker's `event`; the control plane's own `status` rows carry the resulting `status`.
import type { WorkerEvent } from '@lora-studio/protocol';
import type { JobEventType } from '@/server/jobs/events';

export function eventRowType(type: WorkerEvent['type']): JobEventType {
  switch (type) {
    case 'job.progress':
      return 'progress';
    case 'job.metrics':
      return 'metrics';
    case 'job.log':
      return 'log';
    case 'job.checkpoint':
      return 'checkpoint';
    case 'job.sample':
      return 'sample';
    case 'job.started':
    case 'job.succeeded':
    case 'job.failed':
    case 'job.canceled':
      return 'status';
  }
}

export function eventRowPayload(e: WorkerEvent): Record<string, unknown> {
  return { event: e.type, occurred_at: e.occurred_at, ...(e.data as Record<string, unknown>) };
}

// The job state machine (DESIGN §3), pure: no I/O, no clock. The control plane asks it before
// every status write; an illegal answer is logged and the write is refused, never applied.
import type { JobStatus } from './schemas/common.ts';
import type { WorkerEventType } from './schemas/events.ts';

/**
 * Edges that need a stated cause. Re-queues start a new attempt (attempt + 1), so they must
 * never happen by accident: `lease_expired` / `retryable_failure` take a live job back to
 * `queued`, and `retry` is the user's explicit retry of a failed or canceled job.
 */
export type TransitionReason = 'lease_expired' | 'retryable_failure' | 'retry';

type Edge = { readonly to: JobStatus; readonly reason?: TransitionReason };

const REQUEUE: readonly Edge[] = [
  { to: 'queued', reason: 'lease_expired' },
  { to: 'queued', reason: 'retryable_failure' },
];

// Exhaustive over JobStatus: a new status does not compile until its edges are written.
// dispatched → succeeded is allowed so a success whose job.started was lost still lands (the
// artifact is re-verified anyway); cancel_requested may still end succeeded/failed when the
// worker finished before it saw the cancel.
const EDGES: Record<JobStatus, readonly Edge[]> = {
  queued: [{ to: 'dispatched' }, { to: 'cancel_requested' }, { to: 'canceled' }],
  dispatched: [{ to: 'running' }, { to: 'succeeded' }, { to: 'failed' }, { to: 'cancel_requested' }, ...REQUEUE],
  running: [{ to: 'succeeded' }, { to: 'failed' }, { to: 'cancel_requested' }, ...REQUEUE],
  cancel_requested: [{ to: 'canceled' }, { to: 'succeeded' }, { to: 'failed' }],
  succeeded: [],
  failed: [{ to: 'queued', reason: 'retry' }],
  canceled: [{ to: 'queued', reason: 'retry' }],
};

const TERMINAL: ReadonlySet<JobStatus> = new Set<JobStatus>(['succeeded', 'failed', 'canceled']);

/** True for succeeded, failed and canceled: only an explicit `retry` leaves them. */
export function isTerminal(status: JobStatus): boolean {
  return TERMINAL.has(status);
}

/** Whether `from → to` is allowed with this reason. Plain edges take no reason. */
export function canTransition(from: JobStatus, to: JobStatus, reason?: TransitionReason): boolean {
  return EDGES[from].some((edge) => edge.to === to && edge.reason === reason);
}

/** Every allowed edge out of a status, e.g. for an admin UI. */
export function allowedTransitions(from: JobStatus): readonly { to: JobStatus; reason?: TransitionReason }[] {
  return EDGES[from];
}

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
    readonly reason?: TransitionReason,
  ) {
    super(`illegal job transition ${from} → ${to}${reason ? ` (${reason})` : ''}`);
  }
}

export function assertTransition(from: JobStatus, to: JobStatus, reason?: TransitionReason): void {
  if (!canTransition(from, to, reason)) throw new IllegalTransitionError(from, to, reason);
}

export type EventOutcome =
  | { kind: 'move'; from: JobStatus; to: JobStatus; reason?: TransitionReason }
  | { kind: 'stay'; status: JobStatus }
  | { kind: 'illegal'; from: JobStatus; event: WorkerEventType; message: string };

const move = (from: JobStatus, to: JobStatus, reason?: TransitionReason): EventOutcome =>
  reason ? { kind: 'move', from, to, reason } : { kind: 'move', from, to };

/**
 * What a worker event does to a job's status. `requeue` is the caller's decision for
 * `job.failed` (the event said retryable AND attempts remain): the job goes back to `queued`
 * instead of `failed`. A failure after the user asked to cancel ends `canceled` when it would
 * have been re-queued (nobody wants it run again) and `failed` otherwise. Repeating the event
 * that produced the current status is a harmless `stay`. Events after a terminal status,
 * before dispatch, or a `job.canceled` nobody asked for, are `illegal`.
 */
export function nextStatusForEvent(
  current: JobStatus,
  event: WorkerEventType,
  options: { requeue?: boolean } = {},
): EventOutcome {
  const illegal = (message: string): EventOutcome => ({ kind: 'illegal', from: current, event, message });
  switch (event) {
    case 'job.started':
    case 'job.progress':
    case 'job.metrics':
    case 'job.log':
    case 'job.checkpoint':
    case 'job.sample':
      if (current === 'dispatched') return move(current, 'running');
      if (current === 'running' || current === 'cancel_requested') return { kind: 'stay', status: current };
      return illegal(`${event} while the job is ${current}`);
    case 'job.succeeded':
      if (current === 'succeeded') return { kind: 'stay', status: current };
      if (canTransition(current, 'succeeded')) return move(current, 'succeeded');
      return illegal(`job.succeeded while the job is ${current}`);
    case 'job.failed':
      if (current === 'failed') return { kind: 'stay', status: current };
      if (current === 'cancel_requested') return move(current, options.requeue ? 'canceled' : 'failed');
      if (current === 'dispatched' || current === 'running') {
        return options.requeue ? move(current, 'queued', 'retryable_failure') : move(current, 'failed');
      }
      return illegal(`job.failed while the job is ${current}`);
    case 'job.canceled':
      if (current === 'canceled') return { kind: 'stay', status: current };
      if (current === 'cancel_requested') return move(current, 'canceled');
      return illegal(`job.canceled while the job is ${current} (no cancel was requested)`);
  }
}

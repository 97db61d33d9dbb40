// Job statuses and stages as the UI names them. Pure, shared by the list and the monitor.
import type { JobView } from '@/server/jobs/schemas';

export type JobStatus = JobView['status'];

export const STATUS_LABEL: Record<JobStatus, string> = {
  queued: 'Queued',
  dispatched: 'Dispatched',
  running: 'Running',
  cancel_requested: 'Canceling',
  succeeded: 'Succeeded',
  failed: 'Failed',
  canceled: 'Canceled',
};

export const STATUS_VARIANT = {
  queued: 'outline',
  dispatched: 'secondary',
  running: 'default',
  cancel_requested: 'warning',
  succeeded: 'success',
  failed: 'destructive',
  canceled: 'secondary',
} as const satisfies Record<JobStatus, string>;

const TERMINAL: ReadonlySet<string> = new Set(['succeeded', 'failed', 'canceled']);

export const isTerminalStatus = (s: string): boolean => TERMINAL.has(s);
export const isActiveStatus = (s: string): boolean => !TERMINAL.has(s);

/** The stepper: what a person recognises, not every worker stage. */
export const STEPS = [
  { id: 'queued', label: 'Queued' },
  { id: 'dispatched', label: 'Dispatched' },
  { id: 'training', label: 'Training' },
  { id: 'uploading', label: 'Uploading' },
  { id: 'verifying', label: 'Verifying' },
  { id: 'done', label: 'Done' },
] as const;

export type StepState = 'complete' | 'current' | 'upcoming' | 'failed';

/** Index in STEPS of what a live job is doing (stage `done` is written on failure too, so it is not used here). */
export function stepIndexOf(status: string, stage: string): number {
  if (status === 'queued') return 0;
  if (status === 'dispatched') return 1;
  if (status === 'succeeded') return 5;
  if (stage === 'uploading') return 3;
  if (stage === 'verifying' || stage === 'finalizing') return 4;
  if (stage === 'done') return -1;
  return 2; // preparing, downloading, training (and a running job before its first progress)
}

/**
 * The state of each step. `furthest` is the furthest step this attempt reached (a failed job's
 * row says stage `done`, which does not say where it stopped; the event history does).
 */
export function stepStates(status: string, stage: string, furthest: number): StepState[] {
  const at = stepIndexOf(status, stage);
  if (status === 'succeeded') return STEPS.map(() => 'complete');
  if (status === 'failed' || status === 'canceled') {
    const stop = Math.max(furthest, at, 0);
    return STEPS.map((_, i) => (i < stop ? 'complete' : i === stop ? 'failed' : 'upcoming'));
  }
  const cur = Math.max(at, 0);
  return STEPS.map((_, i) => (i < cur ? 'complete' : i === cur ? 'current' : 'upcoming'));
}

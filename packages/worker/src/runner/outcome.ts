// The terminal event of an attempt. Why the job stopped (JobStop.cause) decides first, so a
// backend that dies noisily while being canceled is still reported as canceled; then the
// failure the worker or the backend understood; anything else is a backend_error.
import type { JobCanceledData, JobFailedData } from '@lora-studio/protocol';
import { BackendCanceled, BackendFailed } from '../backends/types.ts';
import { JobFailure } from './failure.ts';
import { lastLines, MAX_MESSAGE_CHARS, truncateText } from './limits.ts';
import type { StopCause } from './stop.ts';

export type Terminal = { type: 'job.failed'; data: JobFailedData } | { type: 'job.canceled'; data: JobCanceledData };

function failed(code: string, message: string, retryable: boolean, lines: readonly string[]): Terminal {
  return {
    type: 'job.failed',
    data: { code, message: truncateText(message, MAX_MESSAGE_CHARS), retryable, last_lines: lastLines(lines) },
  };
}

export function terminalFor(err: unknown, cause: StopCause | null, logTail: readonly string[]): Terminal {
  if (cause) {
    switch (cause.kind) {
      case 'cancel':
        return { type: 'job.canceled', data: { reason: truncateText(cause.reason, 2000) } };
      case 'shutdown':
        return failed('worker_shutdown', `the worker was shut down (${cause.reason}) while running this job; it can be run again`, true, logTail);
      case 'deadline':
        return failed('deadline_exceeded', `the job passed its deadline (${cause.deadline}) and was stopped`, false, logTail);
      case 'lease_lost':
        return failed('lease_lost', `the worker lost this job's lease (${cause.reason}) and stopped it`, true, logTail);
    }
  }
  if (err instanceof JobFailure) return failed(err.code, err.message, err.retryable, err.lastLines.length ? err.lastLines : logTail);
  if (err instanceof BackendFailed) {
    const code = /^[a-z][a-z0-9_]{0,63}$/.test(err.code) ? err.code : 'backend_error';
    return failed(code, err.message, err.retryable, err.lastLines.length ? err.lastLines : logTail);
  }
  if (err instanceof BackendCanceled) {
    // Nobody asked: the control plane would refuse an unrequested job.canceled, and the job
    // would sit "running" until its lease ran out.
    return failed('backend_error', 'the backend stopped as if canceled, but no cancel was requested', false, logTail);
  }
  const message = err instanceof Error ? err.message : String(err);
  return failed('backend_error', `unexpected error: ${message}`, false, logTail);
}

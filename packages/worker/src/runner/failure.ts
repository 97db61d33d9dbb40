// A failure the worker understood, reported as `job.failed` with this code. Anything else
// thrown during a job is reported as `backend_error` (see runner/outcome.ts).

export class JobFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable = false,
    readonly lastLines: string[] = [],
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

/** Network errors and 5xx/429 answers are worth another try; other statuses are not. */
export class TransientError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TransientError';
  }
}

export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

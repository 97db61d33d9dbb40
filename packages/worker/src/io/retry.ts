// Retry a transfer a few times while it fails with a TransientError (network error, 5xx,
// 429). Any other error, or an abort, ends the loop at once.
import { JobFailure, TransientError } from '../runner/failure.ts';
import { backoffDelay, sleep, type BackoffOptions } from './backoff.ts';
import type { Logger } from './logger.ts';

export interface RetryOptions extends BackoffOptions {
  /** Total tries, first included. */
  tries: number;
}

/** Dataset download and intermediate uploads: about one to two minutes of trying. */
export const TRANSFER_RETRY: RetryOptions = { tries: 10, baseMs: 500, capMs: 30_000 };
/** The final artifact is hours of training: keep trying for several minutes before failing. */
export const ARTIFACT_RETRY: RetryOptions = { tries: 20, baseMs: 500, capMs: 30_000 };

export async function withTransferRetries<T>(
  what: string,
  fn: () => Promise<T>,
  opts: { retry?: RetryOptions; signal?: AbortSignal; log: Logger },
): Promise<T> {
  const retry = opts.retry ?? TRANSFER_RETRY;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!(err instanceof TransientError) || attempt >= retry.tries || opts.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, retry);
      opts.log.warn(`${what} failed, retrying`, { attempt, delay_ms: delay, error: err.message });
      await sleep(delay, opts.signal);
    }
  }
}

/** Wraps a fetch/socket error (not an HTTP status) as transient, unless it was our abort. */
export function asTransient(err: unknown, what: string, signal?: AbortSignal): unknown {
  if (signal?.aborted) return err;
  if (err instanceof TransientError || err instanceof JobFailure) return err;
  const code = (err as { cause?: { code?: string } })?.cause?.code ?? (err as { code?: string })?.code;
  const message = err instanceof Error ? err.message : String(err);
  return new TransientError(`${what}: ${message}${code ? ` (${code})` : ''}`, { cause: err });
}

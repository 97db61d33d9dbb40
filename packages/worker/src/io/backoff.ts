// Capped exponential backoff with jitter, and an abortable sleep. Used by every retry loop
// in the worker (event delivery, lease polling, uploads) so they all behave the same way.

export interface BackoffOptions {
  /** First delay, ms. */
  baseMs: number;
  /** Largest delay, ms. */
  capMs: number;
}

/**
 * Delay before retry number `failures` (1 = first retry). "Equal jitter": half the
 * exponential step is fixed, half random, so many workers hitting a recovering control
 * plane spread out but none of them retries immediately.
 */
export function backoffDelay(failures: number, opts: BackoffOptions): number {
  const exp = Math.min(opts.capMs, opts.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

/** `ms` ± `spread` (0..1) of itself, e.g. the idle poll interval. */
export function withJitter(ms: number, spread = 0.25): number {
  return Math.max(0, Math.round(ms * (1 - spread + Math.random() * 2 * spread)));
}

/** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Seconds from a `Retry-After` header (delta-seconds form only), capped. */
export function retryAfterMs(header: string | null, capMs: number): number | null {
  if (!header || !/^\d{1,6}$/.test(header.trim())) return null;
  return Math.min(capMs, Number(header.trim()) * 1000);
}

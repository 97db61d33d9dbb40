// Why a job stopped early. One AbortSignal reaches the backend, the downloads and the
// uploads; the first cause recorded wins, so a cancel that races a shutdown is reported as
// whichever happened first, and the outcome never depends on what the backend threw.

export type StopCause =
  | { kind: 'cancel'; reason: string }
  | { kind: 'shutdown'; reason: string }
  | { kind: 'deadline'; deadline: string }
  | { kind: 'lease_lost'; reason: string };

// setTimeout fires at once for delays above 2^31-1 ms; longer deadlines are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

export class JobStop {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  cause: StopCause | null = null;

  constructor(deadline?: string, now: () => number = Date.now) {
    if (deadline) this.armDeadline(deadline, now);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  stop(cause: StopCause): void {
    if (this.cause) return;
    this.cause = cause;
    this.controller.abort(new Error(`job stopped: ${cause.kind}`));
  }

  dispose(): void {
    clearTimeout(this.timer);
  }

  private armDeadline(deadline: string, now: () => number): void {
    const at = Date.parse(deadline);
    const left = at - now();
    if (left <= 0) return this.stop({ kind: 'deadline', deadline });
    this.timer = setTimeout(() => this.armDeadline(deadline, now), Math.min(left, MAX_TIMER_MS));
    this.timer.unref();
  }
}

// The ordered, at-least-once event stream of one job attempt.
//
// Invariants:
// * `seq` is 0, 1, 2… in enqueue order and is never reused or skipped (an event that fails
//   validation is logged and gets no seq).
// * Events are POSTed one at a time, in seq order; event n+1 is not sent before event n is
//   settled (delivered, or rejected with a 4xx that can never succeed).
// * Network errors, 5xx, 408 and 429 are retried forever with capped exponential backoff and
//   jitter; nothing is dropped or reordered while the control plane is away.
// * A retry re-sends the same body with the SAME webhook-id, re-signed with a fresh
//   timestamp (so a long outage does not age it past the 5-minute tolerance). The control
//   plane refuses a webhook-id it has seen and de-duplicates (job, attempt, seq); if a try
//   landed but its answer was lost, the retry gets 409, which counts as delivered. A new id
//   per try would also be de-duplicated by seq, but the same id states the intent: one event.
// * Queued job.progress events that were never tried are coalesced (the newer replaces the
//   older, keeping its seq), so a slow control plane gets fewer, fresher progress events.
// * Every string is storable text before it is signed (NUL and unpaired surrogates → U+FFFD,
//   log lines without control characters): Postgres cannot hold U+0000, and an event the
//   control plane can never store would otherwise be retried forever, blocking the rest.
import { encodeEvent, sanitizeEventText, type WorkerEvent, type WorkerEventOf, type WorkerEventType } from '@lora-studio/protocol';
import { randomBytes } from 'node:crypto';
import { backoffDelay, sleep, type BackoffOptions } from '../io/backoff.ts';
import type { Logger } from '../io/logger.ts';
import { deliverOnce } from './deliver.ts';

export interface OutboxOptions {
  eventsUrl: string;
  jobId: string;
  attempt: number;
  /** Standard Webhooks secret for this attempt (lease secret, or derived in push mode). */
  secret: string;
  log: Logger;
  backoff?: BackoffOptions;
  requestTimeoutMs?: number;
}

export type EventData<T extends WorkerEventType> = WorkerEventOf<T>['data'];

interface Queued {
  seq: number;
  type: WorkerEventType;
  body: string;
  webhookId: string;
  tries: number;
  stage?: string;
}

export const DEFAULT_EVENT_BACKOFF: BackoffOptions = { baseMs: 250, capMs: 15_000 };

export class EventOutbox {
  private readonly queue: Queued[] = [];
  private nextSeq = 0;
  private pumping = false;
  private readonly closer = new AbortController();
  private waiters: (() => void)[] = [];
  delivered = 0;
  dropped = 0;

  constructor(private readonly opts: OutboxOptions) {}

  /** Queues an event; returns its seq, or null when it was invalid (logged) or the outbox is closed. */
  enqueue<T extends WorkerEventType>(type: T, data: EventData<T>, occurredAt = new Date()): number | null {
    if (this.closer.signal.aborted) return null;
    const tail = this.queue.at(-1);
    const stage = type === 'job.progress' ? (data as EventData<'job.progress'>).stage : undefined;
    const coalesce = stage !== undefined && tail?.type === type && tail.tries === 0 && tail.stage === stage && !this.isHead(tail);
    const seq = coalesce && tail ? tail.seq : this.nextSeq;
    const event = { type, job_id: this.opts.jobId, attempt: this.opts.attempt, seq, occurred_at: occurredAt.toISOString(), data };
    let body: string;
    try {
      // Storable text only: a NUL the trainer printed must not make the event undeliverable.
      body = encodeEvent(sanitizeEventText(event) as WorkerEvent);
    } catch (err) {
      this.opts.log.error('worker produced an invalid event; not sent', { type, error: String(err) });
      return null;
    }
    if (coalesce && tail) {
      tail.body = body;
    } else {
      this.queue.push({ seq, type, body, webhookId: newWebhookId(), tries: 0, ...(stage ? { stage } : {}) });
      this.nextSeq++;
    }
    void this.pump();
    return seq;
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Resolves true once everything queued so far is settled, false if `signal` or close() came first. */
  async drain(signal?: AbortSignal): Promise<boolean> {
    while (this.queue.length > 0) {
      if (signal?.aborted || this.closer.signal.aborted) return false;
      await new Promise<void>((resolve) => {
        const done = () => {
          signal?.removeEventListener('abort', done);
          resolve();
        };
        this.waiters.push(done);
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    return true;
  }

  /** Stops delivering. Whatever is still queued is lost (and logged). */
  close(): void {
    if (this.closer.signal.aborted) return;
    if (this.queue.length > 0) {
      this.opts.log.error('giving up on undelivered events', { job_id: this.opts.jobId, attempt: this.opts.attempt, undelivered: this.queue.length, first_seq: this.queue[0]?.seq });
    }
    this.closer.abort();
    this.wake();
  }

  private isHead(item: Queued): boolean {
    return this.pumping && this.queue[0] === item;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    const target = {
      url: this.opts.eventsUrl,
      secret: this.opts.secret,
      jobId: this.opts.jobId,
      attempt: this.opts.attempt,
      timeoutMs: this.opts.requestTimeoutMs ?? 30_000,
    };
    let failures = 0;
    try {
      while (this.queue.length > 0 && !this.closer.signal.aborted) {
        const item = this.queue[0]!;
        const result = await deliverOnce(target, item, this.closer.signal);
        if (this.closer.signal.aborted) break;
        if (result.kind === 'retry') {
          item.tries++;
          failures++;
          const delay = Math.max(backoffDelay(failures, this.opts.backoff ?? DEFAULT_EVENT_BACKOFF), result.retryAfterMs ?? 0);
          this.opts.log.warn('event delivery failed, retrying', { seq: item.seq, type: item.type, tries: item.tries, delay_ms: delay, reason: result.reason });
          await sleep(delay, this.closer.signal);
          continue;
        }
        failures = 0;
        this.queue.shift();
        if (result.kind === 'delivered') this.delivered++;
        else {
          this.dropped++;
          this.opts.log.error('control plane refused an event; dropped (it can never succeed)', { seq: item.seq, type: item.type, status: result.status, body: result.body });
        }
        if (this.queue.length === 0) this.wake();
      }
    } finally {
      this.pumping = false;
      this.wake();
    }
  }
}

function newWebhookId(): string {
  return `msg_${randomBytes(16).toString('base64url')}`;
}

// One adapter interface for every place a job can run (STYLE.md §8). The map in index.ts is
// a Record over ProviderId, so a new provider does not compile until it is wired in.
import type { BackendId } from '@lora-studio/protocol';
import type { PROVIDERS } from '@/server/db/schema/index.ts';
import type { JobWithVersion } from '@/server/jobs/internal';
import type { SpecFailure } from '@/server/jobs/spec-failure';
import type { ServiceContext } from '@/server/http/context';

export type ProviderId = (typeof PROVIDERS)[number];

export type DispatchResult =
  /**
   * Accepted by the provider: the job is now `dispatched` there under this id, to run on
   * `backend` (push workers; absent for a provider's own trainer). Events must name it.
   */
  | { kind: 'accepted'; externalJobId: string | null; record?: Record<string, unknown>; backend?: BackendId }
  /** Nothing to push: the job waits in the queue for a worker to lease it. */
  | { kind: 'pull' }
  /** Could not reach or use the provider now; try again later (with backoff). */
  | { kind: 'retry'; message: string }
  /** The provider refused the job for good (bad input, unknown trainer…). */
  | { kind: 'rejected'; code: string; message: string }
  /**
   * Nothing was sent: this job cannot be (its pinned dataset snapshot changed or is gone, its
   * spec cannot be built). It fails on its own; the dispatch loop goes on (jobs/spec-failure.ts).
   */
  | { kind: 'unbuildable'; failure: SpecFailure };

/** What a provider says about a job when polled; null fields mean "unchanged / unknown". */
export interface PolledState {
  status: 'dispatched' | 'running' | 'succeeded' | 'failed' | 'canceled';
  error?: { code: string; message: string; last_lines?: string[] };
  /** Provider's own payload, kept for the success path (Replicate: the training object). */
  raw?: unknown;
}

export interface ProviderAdapter {
  readonly id: ProviderId;
  /** Called after the job row committed as `queued`; must not throw for transient failures. */
  dispatch(ctx: ServiceContext, jv: JobWithVersion): Promise<DispatchResult>;
  /** Ask the provider to stop; best effort, the job is already `cancel_requested`. */
  cancel(ctx: ServiceContext, jv: JobWithVersion): Promise<void>;
  /** Providers that can be asked for a job's state implement this (the scheduler polls). */
  poll?(ctx: ServiceContext, jv: JobWithVersion): Promise<PolledState | null>;
}

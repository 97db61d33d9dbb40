// The one place a job's status is written. Every write asks the protocol's state machine
// first (an illegal edge throws: callers that take input from outside check before calling
// and answer 409), updates the row, and appends a `status` event announcing the change.
import { canTransition, IllegalTransitionError, isTerminal, type JobStatus, type TransitionReason } from '@lora-studio/protocol';
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraJobs, type LoraJob } from '@/server/db/schema/index.ts';
import { appendControlEvent } from './events.ts';

export type JobPatch = Partial<Omit<typeof loraJobs.$inferInsert, 'id' | 'status'>>;

export interface Transition {
  to: JobStatus;
  reason?: TransitionReason;
  patch?: JobPatch;
  /** Extra fields for the status event (error, worker, …). */
  detail?: Record<string, unknown>;
  now?: Date;
}

/** Move `job` (row-locked by the caller) along one edge of the state machine. */
export async function transitionJob(db: DbOrTx, job: LoraJob, t: Transition): Promise<LoraJob> {
  if (!canTransition(job.status, t.to, t.reason)) throw new IllegalTransitionError(job.status, t.to, t.reason);
  const now = t.now ?? new Date();
  const ends = isTerminal(t.to) ? { finishedAt: now, leaseOwner: null, leaseExpiresAt: null, nextDispatchAt: null } : {};
  const [row] = await db
    .update(loraJobs)
    .set({ ...ends, ...t.patch, status: t.to, updatedAt: now })
    .where(and(eq(loraJobs.id, job.id), eq(loraJobs.status, job.status)))
    .returning();
  // The caller holds the row lock, so the status cannot have moved under us; if it did, the
  // lock discipline is broken somewhere and silently carrying on would corrupt the job.
  if (!row) throw new Error(`job ${job.id} changed status concurrently (expected ${job.status})`);
  await appendControlEvent(db, {
    jobId: job.id,
    attempt: row.attempt,
    type: 'status',
    payload: { status: t.to, from: job.status, ...(t.reason ? { reason: t.reason } : {}), stage: row.stage, attempt: row.attempt, ...t.detail },
  });
  return row;
}

/**
 * Back to `queued` as a new attempt (lease expired, retryable failure, or the user's retry).
 * Everything that belonged to the old attempt — lease, external id, progress, seq — resets.
 */
export async function requeueJob(db: DbOrTx, job: LoraJob, reason: TransitionReason, opts: { now?: Date; patch?: JobPatch; detail?: Record<string, unknown> } = {}): Promise<LoraJob> {
  const now = opts.now ?? new Date();
  return transitionJob(db, job, {
    to: 'queued',
    reason,
    now,
    detail: { previous_attempt: job.attempt, ...opts.detail },
    patch: {
      attempt: job.attempt + 1,
      leaseOwner: null,
      leaseExpiresAt: null,
      externalJobId: null,
      stage: 'queued',
      progress: 0,
      step: null,
      totalSteps: null,
      lastSeq: -1,
      dispatchAttempts: 0,
      nextDispatchAt: null, // due at once (null never depends on whose clock said "now")
      finishedAt: null,
      ...opts.patch,
    },
  });
}

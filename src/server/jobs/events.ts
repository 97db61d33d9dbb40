// Writing job_events. Every row is announced with pg_notify in the SAME transaction, so the
// notification goes out only if the row commits, and every app replica listening on the
// channel (events-hub.ts) learns of it. Per job, rows are written under the job's row lock,
// so their ids increase in commit order — which is what lets SSE resume by event id.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { jobEvents, type EVENT_TYPES } from '@/server/db/schema/index.ts';

export const JOB_EVENTS_CHANNEL = 'lora_job_events';
export type JobEventType = (typeof EVENT_TYPES)[number];

export interface NewJobEvent {
  jobId: string;
  attempt: number;
  seq: number;
  type: JobEventType;
  payload: Record<string, unknown>;
}

/** Insert one event; null when (job, attempt, seq) already exists (a duplicate delivery). */
export async function appendJobEvent(db: DbOrTx, e: NewJobEvent): Promise<number | null> {
  const [row] = await db.insert(jobEvents).values(e).onConflictDoNothing().returning({ id: jobEvents.id });
  if (!row) return null;
  await db.execute(sql`SELECT pg_notify(${JOB_EVENTS_CHANNEL}, ${`${e.jobId}:${row.id}`})`);
  return row.id;
}

/**
 * Events the control plane itself writes (status changes, Replicate updates) take negative
 * seqs (-1, -2, …) per attempt, so they can never collide with a worker's seq ≥ 0.
 * The caller holds the job's row lock.
 */
export async function appendControlEvent(
  db: DbOrTx,
  e: Omit<NewJobEvent, 'seq'>,
): Promise<number> {
  const [row] = await db
    .select({ seq: sql<number>`LEAST(COALESCE(MIN(${jobEvents.seq}), 0), 0) - 1` })
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, e.jobId), eq(jobEvents.attempt, e.attempt)));
  const id = await appendJobEvent(db, { ...e, seq: Number(row?.seq ?? -1) });
  if (id === null) throw new Error(`control event seq collision on ${e.jobId}`);
  return id;
}

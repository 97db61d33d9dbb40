// Terminal outcomes other than success (success lives in ./finalize). A job that ends
// failed or canceled takes its version with it, and the person who started it is told.
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraVersions, notifications, type LoraJob } from '@/server/db/schema/index.ts';
import { newId } from '@/server/ids';
import { transitionJob, type JobPatch } from './transition.ts';

export interface JobErrorInfo {
  code: string;
  message: string;
  last_lines?: string[];
}

export async function notifyJob(db: DbOrTx, job: LoraJob, n: { kind: string; title: string; body: string }): Promise<void> {
  await db.insert(notifications).values({
    id: newId('notification'),
    workspaceId: job.workspaceId,
    userId: job.createdBy,
    kind: n.kind,
    title: n.title,
    body: n.body,
    link: `/jobs/${job.id}`,
  });
}

async function failVersion(db: DbOrTx, job: LoraJob, reason: string, now: Date): Promise<void> {
  await db.update(loraVersions).set({ status: 'failed', failureReason: reason.slice(0, 2000), updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
}

/** → failed, with a machine code and a human message on the job and the version. */
export async function failJob(db: DbOrTx, job: LoraJob, error: JobErrorInfo, opts: { now?: Date; patch?: JobPatch } = {}): Promise<LoraJob> {
  const now = opts.now ?? new Date();
  const row = await transitionJob(db, job, { to: 'failed', now, patch: { error, stage: 'done', ...opts.patch }, detail: { error: { code: error.code, message: error.message } } });
  await failVersion(db, job, `${error.code}: ${error.message}`, now);
  await notifyJob(db, row, { kind: 'job.failed', title: 'Training failed', body: error.message.slice(0, 500) });
  return row;
}

/** → canceled (from queued at once, or from cancel_requested when the worker confirms). */
export async function cancelJobNow(db: DbOrTx, job: LoraJob, why: string, opts: { now?: Date; error?: JobErrorInfo } = {}): Promise<LoraJob> {
  const now = opts.now ?? new Date();
  const row = await transitionJob(db, job, {
    to: 'canceled',
    now,
    patch: { stage: 'done', ...(opts.error ? { error: opts.error } : {}) },
    detail: { message: why, ...(opts.error ? { error: opts.error } : {}) },
  });
  await failVersion(db, job, opts.error ? `${opts.error.code}: ${opts.error.message}` : 'canceled: training was canceled', now);
  return row;
}

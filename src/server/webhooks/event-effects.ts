// What an accepted worker event does to the job row (the caller holds its lock and has
// already checked the transition with the state machine). Older events arriving late
// (seq ≤ last_seq) are stored but never move progress backwards.
import type { EventOutcome, WorkerEvent } from '@lora-studio/protocol';
import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraJobs, loraVersions, type LoraJob } from '@/server/db/schema/index.ts';
import type { JobWithVersion } from '@/server/jobs/internal';
import { cancelJobNow, failJob } from '@/server/jobs/outcomes';
import { requeueJob, transitionJob, type JobPatch } from '@/server/jobs/transition';

function rowPatch(job: LoraJob, e: WorkerEvent, now: Date): JobPatch {
  const fresh = e.seq > job.lastSeq;
  const patch: JobPatch = { lastSeq: Math.max(job.lastSeq, e.seq), updatedAt: now };
  switch (e.type) {
    case 'job.started':
      // The backend is not taken from the event: the lease/dispatch fixed it (backend-claim.ts).
      return { ...patch, startedAt: job.startedAt ?? now, ...(fresh ? { stage: 'preparing' } : {}) };
    case 'job.progress':
      if (!fresh) return patch;
      return {
        ...patch,
        step: e.data.step,
        totalSteps: e.data.total_steps,
        progress: e.data.total_steps > 0 ? Math.min(1, e.data.step / e.data.total_steps) : 0,
        stage: e.data.stage,
      };
    case 'job.succeeded':
      // The worker's part is over: no lease to expire while we verify what it uploaded.
      return { ...patch, stage: 'verifying', progress: 1, gpuSeconds: e.data.gpu_seconds, leaseExpiresAt: null };
    default:
      return patch;
  }
}

async function setVersion(db: DbOrTx, job: LoraJob, status: 'pending' | 'training', now: Date) {
  await db.update(loraVersions).set({ status, updatedAt: now }).where(eq(loraVersions.id, job.loraVersionId));
}

export async function applyEventEffects(db: DbOrTx, jv: JobWithVersion, e: WorkerEvent, outcome: EventOutcome, now: Date): Promise<LoraJob> {
  const patch = rowPatch(jv.job, e, now);
  const [updated] = await db.update(loraJobs).set(patch).where(eq(loraJobs.id, jv.job.id)).returning();
  let job = updated!;
  if (e.type === 'job.sample') {
    // Previews of a version are the samples of the attempt that produced it, in step order.
    const entry = { key: e.data.key, step: e.data.step, ...(e.data.prompt ? { prompt: e.data.prompt } : {}) };
    await db
      .update(loraVersions)
      .set({ previewImagesJson: sql`COALESCE(${loraVersions.previewImagesJson}, '[]'::jsonb) || ${JSON.stringify([entry])}::jsonb` })
      .where(eq(loraVersions.id, job.loraVersionId));
  }
  if (outcome.kind !== 'move') return job;
  switch (outcome.to) {
    case 'running':
      job = await transitionJob(db, job, { to: 'running', now, patch: { startedAt: job.startedAt ?? now } });
      await setVersion(db, job, 'training', now);
      return job;
    case 'succeeded':
      // Not yet: only the artifact check decides success. Show the job as live meanwhile.
      return job.status === 'dispatched' ? transitionJob(db, job, { to: 'running', now, patch: { startedAt: job.startedAt ?? now } }) : job;
    case 'queued': {
      const err = e.type === 'job.failed' ? { code: e.data.code, message: e.data.message } : undefined;
      job = await requeueJob(db, job, 'retryable_failure', { now, detail: err ? { error: err } : {} });
      await setVersion(db, job, 'pending', now);
      return job;
    }
    case 'failed': {
      const err = e.type === 'job.failed' ? { code: e.data.code, message: e.data.message, last_lines: e.data.last_lines } : { code: 'worker_failed', message: 'The worker reported a failure.' };
      return failJob(db, job, err, { now });
    }
    case 'canceled': {
      const why = e.type === 'job.canceled' ? (e.data.reason ?? 'The worker stopped the job as asked.') : 'The worker stopped the job after the cancel request.';
      return cancelJobNow(db, job, why, { now });
    }
    default:
      throw new Error(`worker event ${e.type} cannot move a job to ${outcome.to}`);
  }
}

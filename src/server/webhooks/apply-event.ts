// One verified worker event, applied in ONE transaction: replay check (webhook-id), job row
// lock, attempt check, state machine, key check, de-duplication on (job, attempt, seq), the
// stored event, the job's new state. Refusals (409) roll everything back — including the
// receipt — and are logged; nothing of a refused event is ever applied.
import { nextStatusForEvent, type JobStatus, type WorkerEvent } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { ConflictError, NotFoundError, ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { appendJobEvent } from '@/server/jobs/events';
import { getJobForSystem } from '@/server/jobs/internal';
import { backendClaimRefusal } from './backend-claim.ts';
import { applyEventEffects } from './event-effects.ts';
import { eventRowPayload, eventRowType } from './event-row.ts';
import { unexpectedKey } from './output-keys.ts';
import { recordReceipt } from './receipts.ts';

export interface AppliedEvent {
  eventId: number;
  jobStatus: JobStatus;
  /** job.succeeded was accepted: the artifact must now be verified (outside this transaction). */
  verify: boolean;
}

const refuse = (reason: 'stale_attempt' | 'illegal_transition' | 'duplicate', message: string) => new ConflictError(message, { reason });

export async function applyWorkerEvent(ctx: ServiceContext, e: WorkerEvent, webhookId: string, now: Date): Promise<AppliedEvent> {
  try {
    return await ctx.db.transaction(async (db) => {
      await recordReceipt(db, { source: 'worker', webhookId, jobId: e.job_id });
      const jv = await getJobForSystem(db, e.job_id, { forUpdate: true });
      if (!jv) throw new NotFoundError('Job', e.job_id);
      const job = jv.job;
      if (e.attempt !== job.attempt) throw refuse('stale_attempt', `Event for attempt ${e.attempt}, but job ${job.id} is on attempt ${job.attempt}; the old attempt's events are no longer accepted.`);
      const requeue = e.type === 'job.failed' && e.data.retryable && job.attempt < job.maxAttempts;
      const outcome = nextStatusForEvent(job.status, e.type, { requeue });
      if (outcome.kind === 'illegal') throw refuse('illegal_transition', `Refused: ${outcome.message}.`);
      if (e.type === 'job.succeeded' && job.stage === 'verifying') throw refuse('duplicate', `Job ${job.id} already reported success; its artifact is being verified.`);
      const [ds] = await db.select({ modality: loraDatasets.modality }).from(loraDatasets).where(eq(loraDatasets.id, jv.version.datasetId));
      const badKey = unexpectedKey(jv, ds?.modality ?? 'image', e);
      if (badKey) throw new ValidationError(`Object key ${badKey} was not issued for job ${job.id} attempt ${job.attempt}; report the keys from the job spec's outputs.`);
      const wrongBackend = backendClaimRefusal(job, e);
      if (wrongBackend) throw wrongBackend;
      const eventId = await appendJobEvent(db, { jobId: job.id, attempt: e.attempt, seq: e.seq, type: eventRowType(e.type), payload: eventRowPayload(e) });
      if (eventId === null) throw refuse('duplicate', `Event seq ${e.seq} of job ${job.id} attempt ${e.attempt} was already received.`);
      const after = await applyEventEffects(db, jv, e, outcome, now);
      return { eventId, jobStatus: after.status, verify: e.type === 'job.succeeded' };
    });
  } catch (err) {
    if (err instanceof ConflictError || err instanceof ValidationError) {
      const reason = (err.details as { reason?: string } | undefined)?.reason ?? 'invalid';
      ctx.log.warn({ jobId: e.job_id, attempt: e.attempt, seq: e.seq, type: e.type, webhookId, reason }, err.message);
      // Replays and duplicates are routine retries; anything else is worth an audit row.
      if (reason !== 'replay' && reason !== 'duplicate') {
        const owner = await getJobForSystem(ctx.db, e.job_id).catch(() => null);
        await recordAudit(ctx, { action: 'job.event_refused', targetType: 'lora_job', targetId: e.job_id, workspaceId: owner?.job.workspaceId ?? null, metadata: { reason, type: e.type, attempt: e.attempt, seq: e.seq, message: err.message } }).catch(() => undefined);
      }
    }
    throw err;
  }
}

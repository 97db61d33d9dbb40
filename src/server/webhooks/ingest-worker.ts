// POST /api/lora/webhook — a signed event from a worker. Order matters: rate limit by IP →
// raw body (both in the route wrapper, auth 'signature') → key from the lora-job-id/attempt headers → verify signature and timestamp on
// the raw bytes (401) → only then parse (422; text made storable first) → the body must
// name the same job/attempt as the headers → apply (409 for replays, duplicates, stale
// attempts, illegal transitions).
import { parseWorkerEvent, readJobAttemptHeaders, sanitizeEventText, verifyWebhook, WebhookVerificationError, type JobStatus } from '@lora-studio/protocol';
import { UnauthorizedError, ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { validationFromZod } from '@/server/http/errors-response';
import { consumeRateLimit } from '@/server/http/rate-limit';
import { finalizeSucceeded } from '@/server/jobs/finalize/finalize';
import { dispatchJob } from '@/server/providers/dispatch';
import { ZodError } from 'zod';
import { applyWorkerEvent } from './apply-event.ts';
import { jobAttemptSecret } from './secrets.ts';

export interface IngestResult {
  received: true;
  job_id: string;
  event_id: number;
  status: JobStatus;
}

/** `raw`: the exact bytes received, read by the route wrapper after the per-IP `webhook` limit. */
export async function ingestWorkerEvent({ ctx, raw, headers, now = new Date() }: { ctx: ServiceContext; raw: Buffer; headers: Headers; now?: Date }): Promise<IngestResult> {
  const ids = readJobAttemptHeaders(headers);
  if (!ids) throw new UnauthorizedError('Missing or malformed lora-job-id / lora-job-attempt headers; they select the signing key.');
  let webhookId: string;
  try {
    webhookId = verifyWebhook({ headers, body: raw, secret: jobAttemptSecret(ids.jobId, ids.attempt), now }).id;
  } catch (err) {
    if (err instanceof WebhookVerificationError) throw new UnauthorizedError(`Webhook signature rejected: ${err.message}.`);
    throw err;
  }
  await consumeRateLimit('webhook_job', [`job:${ids.jobId}`]);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ValidationError('Webhook body is not valid JSON.');
  }
  let event;
  try {
    // After verification (the signature covers the raw bytes): a worker's text is evidence,
    // stored with NUL and broken surrogates replaced rather than refused — an older worker
    // would retry a refusal forever and block every later event of the attempt.
    event = parseWorkerEvent(sanitizeEventText(json));
  } catch (err) {
    if (err instanceof ZodError) throw validationFromZod(err, 'Worker event');
    throw err;
  }
  if (event.job_id !== ids.jobId || event.attempt !== ids.attempt) {
    throw new ValidationError(`The event names job ${event.job_id} attempt ${event.attempt}, but its headers name job ${ids.jobId} attempt ${ids.attempt}.`);
  }
  const wctx: ServiceContext = { ...ctx, actor: { type: 'webhook', source: 'worker' } };
  const applied = await applyWorkerEvent(wctx, event, webhookId, now);
  let status = applied.jobStatus;
  if (applied.verify && event.type === 'job.succeeded') {
    status = await finalizeSucceeded(wctx, { jobId: event.job_id, attempt: event.attempt, report: event.data, source: 'worker' });
  }
  // A retryable failure re-queued the job: a push provider gets the next attempt right away
  // (pull workers lease it themselves; the scheduler covers a failure here).
  if (status === 'queued') await dispatchJob(wctx, event.job_id, now).catch(() => undefined);
  return { received: true, job_id: event.job_id, event_id: applied.eventId, status };
}

// POST /api/lora/webhook/replicate — Replicate signs its webhooks with the Standard Webhooks
// scheme and the account's signing secret (REPLICATE_WEBHOOK_SECRET, `whsec_…`). Verified on
// the raw body before parsing; a replayed webhook-id is refused; the training object is then
// mapped onto our job. Deliveries may be late or out of order: those are ignored (200), so
// Replicate does not keep retrying something we deliberately skip.
import { storableJson, verifyWebhook, WebhookVerificationError } from '@lora-studio/protocol';
import { and, eq } from 'drizzle-orm';
import { loraJobs } from '@/server/db/schema/index.ts';
import { ServiceUnavailableError, UnauthorizedError, ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { applyProviderState } from '@/server/providers/apply-state';
import { ReplicateTraining } from '@/server/providers/replicate/client';
import { completeReplicateTraining } from '@/server/providers/replicate/complete';
import { replicateConfig } from '@/server/providers/replicate/config';
import { mapReplicateTraining } from '@/server/providers/replicate/status';

/** 503 before the body is read: the route wrapper runs it as the route's `precheck`. */
export function replicateWebhookSecret(): string {
  const secret = replicateConfig().webhookSecret;
  if (!secret) throw new ServiceUnavailableError('Replicate webhooks are not configured (REPLICATE_WEBHOOK_SECRET is unset).');
  return secret;
}

/** `raw`: the exact bytes received, read by the route wrapper after the per-IP `webhook` limit. */
export async function ingestReplicateWebhook({ ctx, raw, headers, now = new Date() }: { ctx: ServiceContext; raw: Buffer; headers: Headers; now?: Date }) {
  const secret = replicateWebhookSecret();
  let webhookId: string;
  try {
    webhookId = verifyWebhook({ headers, body: raw, secret, now }).id;
  } catch (err) {
    if (err instanceof WebhookVerificationError) throw new UnauthorizedError(`Webhook signature rejected: ${err.message}.`);
    throw err;
  }
  let training: ReplicateTraining;
  try {
    // Replicate's text (logs, error) is stored: NUL and broken surrogates replaced, not refused.
    const parsed = ReplicateTraining.safeParse(storableJson(JSON.parse(raw.toString('utf8'))));
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? 'invalid');
    training = parsed.data;
  } catch (err) {
    throw new ValidationError(`Replicate webhook body is not a training object: ${(err as Error).message}.`);
  }
  const [job] = await ctx.db
    .select({ id: loraJobs.id })
    .from(loraJobs)
    .where(and(eq(loraJobs.provider, 'replicate'), eq(loraJobs.externalJobId, training.id)));
  if (!job) return { received: true, ignored: 'unknown training' };
  const wctx: ServiceContext = { ...ctx, actor: { type: 'webhook', source: 'replicate' } };
  const state = mapReplicateTraining(training);
  const applied = await applyProviderState(wctx, { jobId: job.id, externalJobId: training.id, state, receipt: { source: 'replicate', webhookId }, now });
  if (applied.kind === 'verify') return { received: true, job_id: job.id, status: await completeReplicateTraining(wctx, job.id, training) };
  return { received: true, job_id: job.id, ...(applied.kind === 'applied' ? { status: applied.status } : { ignored: applied.reason }) };
}

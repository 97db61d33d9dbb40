// WORKER_HMAC_SECRET as a Standard Webhooks secret. Protocol signing wants `whsec_<base64>`;
// env only promises ≥ 32 characters (the generated default is base64url, which is NOT
// base64). Rule, stated once and documented for operators: a value starting with `whsec_` is
// used as is; any other value is text whose UTF-8 bytes are the key (`whsec_` + base64 of it).
// A push worker must be given the normalized form (see README "Worker contract").
import { deriveJobSigningSecret, WEBHOOK_SECRET_PREFIX } from '@lora-studio/protocol';
import { env } from '@/env';

export function toWebhookSecret(value: string): string {
  return value.startsWith(WEBHOOK_SECRET_PREFIX) ? value : WEBHOOK_SECRET_PREFIX + Buffer.from(value, 'utf8').toString('base64');
}

/** The master secret push dispatches are signed with (the worker's --secret). */
export function workerMasterSecret(): string {
  return toWebhookSecret(env().WORKER_HMAC_SECRET);
}

/** The key one job attempt's events are signed with (pull: sent with the lease). */
export function jobAttemptSecret(jobId: string, attempt: number): string {
  return deriveJobSigningSecret(workerMasterSecret(), jobId, attempt);
}

import { createHmac, randomBytes } from 'node:crypto';

export const WEBHOOK_SECRET_PREFIX = 'whsec_';

// Standard base64 alphabet, padding optional. Node's own decoder silently skips characters
// outside the alphabet, so a typo such as `whsec_abc!` would quietly become a weaker key;
// checking the shape first turns that into a loud configuration error instead.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The HMAC key behind a Standard Webhooks secret.
 *
 * Follows the official JavaScript library (`standardwebhooks`): an optional `whsec_` prefix
 * is stripped and the rest is ALWAYS base64-decoded — a secret without the prefix is read as
 * the same base64 text, never as raw UTF-8 bytes. Unpadded base64 is accepted (it decodes to
 * the same bytes as its padded form). Throws a TypeError for an empty key or text that is not
 * base64, because either means the deployment is misconfigured.
 */
export function decodeWebhookSecret(secret: string): Buffer {
  if (typeof secret !== 'string') throw new TypeError('webhook secret must be a string');
  const body = secret.startsWith(WEBHOOK_SECRET_PREFIX)
    ? secret.slice(WEBHOOK_SECRET_PREFIX.length)
    : secret;
  // A base64 text of length 4n+1 cannot come from any byte string.
  if (!BASE64.test(body) || body.replace(/=+$/, '').length % 4 === 1) {
    throw new TypeError('webhook secret is not base64 (expected whsec_<base64>)');
  }
  const key = Buffer.from(body, 'base64');
  if (key.length === 0) throw new TypeError("webhook secret can't be empty");
  return key;
}

/** A fresh `whsec_` secret holding 32 random bytes (inside the spec's 24–64 byte range). */
export function generateWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

/**
 * The signing secret for one attempt of one job, derived from the master secret.
 *
 * A pull worker receives only this derived secret with its lease, so a leaked or malicious
 * worker can sign events for the attempt it holds and nothing else. The label puts the attempt
 * last and it is an integer, so `(jobId, attempt)` pairs never collide even if a job id
 * contains `/`.
 */
export function deriveJobSigningSecret(masterSecret: string, jobId: string, attempt: number): string {
  if (typeof jobId !== 'string' || jobId.length === 0) throw new TypeError('jobId must be a non-empty string');
  if (!Number.isSafeInteger(attempt) || attempt < 1) throw new TypeError('attempt must be an integer ≥ 1');
  const mac = createHmac('sha256', decodeWebhookSecret(masterSecret))
    .update(`lora-studio/v1/job/${jobId}/${attempt}`, 'utf8')
    .digest();
  return WEBHOOK_SECRET_PREFIX + mac.toString('base64');
}

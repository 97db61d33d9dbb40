import { createHmac, randomBytes } from 'node:crypto';
import { decodeWebhookSecret } from './secret.ts';
import { WEBHOOK_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './headers.ts';

/** The raw HTTP body exactly as sent. Never a re-serialised object: JSON.stringify is not stable. */
export type RawBody = string | Uint8Array;

export type SignedHeaders = {
  [WEBHOOK_ID_HEADER]: string;
  [WEBHOOK_TIMESTAMP_HEADER]: string;
  [WEBHOOK_SIGNATURE_HEADER]: string;
};

/** Unix seconds from a Date or from a number of seconds; rejects what no verifier could accept. */
export function toUnixSeconds(timestamp: number | Date): number {
  const seconds = timestamp instanceof Date ? Math.floor(timestamp.getTime() / 1000) : timestamp;
  if (!Number.isSafeInteger(seconds) || seconds < 0) {
    throw new TypeError('webhook timestamp must be a non-negative integer number of seconds');
  }
  return seconds;
}

// The message id and timestamp are joined with '.', so a '.' or whitespace inside the id would
// let one (id, timestamp) pair masquerade as another; the spec asks senders never to allow it.
function assertMessageId(id: string): void {
  if (typeof id !== 'string' || id.length === 0 || /[.\s,]/.test(id)) {
    throw new TypeError('webhook id must be non-empty and contain no ".", "," or whitespace');
  }
}

/** base64(HMAC-SHA256(key, "id.timestamp.body")) over the exact body bytes. */
export function computeSignature(key: Uint8Array, id: string, seconds: number, body: RawBody): string {
  const hmac = createHmac('sha256', key);
  hmac.update(`${id}.${seconds}.`, 'utf8');
  hmac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return hmac.digest('base64');
}

/** `v1,<base64 signature>` for one message (Standard Webhooks symmetric scheme). */
export function signWebhook(input: { id: string; timestamp: number | Date; body: RawBody; secret: string }): string {
  assertMessageId(input.id);
  const seconds = toUnixSeconds(input.timestamp);
  return `v1,${computeSignature(decodeWebhookSecret(input.secret), input.id, seconds, input.body)}`;
}

/**
 * The three Standard Webhooks headers for a body. `now` (a Date or unix seconds) defaults to the
 * clock; `id` defaults to a random `msg_` id, which the receiver uses as its replay key.
 */
export function buildSignedHeaders(input: {
  body: RawBody;
  secret: string;
  id?: string;
  now?: Date | number;
}): SignedHeaders {
  const id = input.id ?? `msg_${randomBytes(16).toString('base64url')}`;
  const seconds = toUnixSeconds(input.now ?? new Date());
  return {
    [WEBHOOK_ID_HEADER]: id,
    [WEBHOOK_TIMESTAMP_HEADER]: String(seconds),
    [WEBHOOK_SIGNATURE_HEADER]: signWebhook({ id, timestamp: seconds, body: input.body, secret: input.secret }),
  };
}

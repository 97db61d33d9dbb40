import { timingSafeEqual } from 'node:crypto';
import { decodeWebhookSecret } from './secret.ts';
import { computeSignature, toUnixSeconds, type RawBody } from './sign.ts';
import {
  readHeader,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type HeaderSource,
} from './headers.ts';

export type WebhookVerificationReason =
  | 'missing_headers'
  | 'bad_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'no_matching_signature';

export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly reason: WebhookVerificationReason,
    message: string = reason.replaceAll('_', ' '),
  ) {
    super(message);
  }
}

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type VerifyWebhookInput = {
  headers: HeaderSource;
  /** The raw body as received, before any JSON parsing. */
  body: RawBody;
  /** Secret(s) to accept; several during a rotation. At least one is required. */
  secret?: string;
  secrets?: readonly string[];
  toleranceSeconds?: number;
  /** The receiver's clock (Date or unix seconds); for tests. */
  now?: Date | number;
};

/**
 * Verifies a Standard Webhooks request and returns its id and timestamp; throws
 * WebhookVerificationError otherwise. The id must still be checked against already-seen ids by
 * the caller (replay protection needs storage, which this pure function has none of).
 */
export function verifyWebhook(input: VerifyWebhookInput): { id: string; timestamp: number } {
  const secrets = [...(input.secret === undefined ? [] : [input.secret]), ...(input.secrets ?? [])];
  if (secrets.length === 0) throw new TypeError('verifyWebhook needs `secret` or `secrets`');
  // Decode first: a misconfigured secret is a server error, never a client's fault.
  const keys = secrets.map(decodeWebhookSecret);

  const id = readHeader(input.headers, WEBHOOK_ID_HEADER);
  const timestampText = readHeader(input.headers, WEBHOOK_TIMESTAMP_HEADER);
  const signatureHeader = readHeader(input.headers, WEBHOOK_SIGNATURE_HEADER);
  if (!id || !timestampText || !signatureHeader) throw new WebhookVerificationError('missing_headers');

  // Digits only: parseInt would read "161426533.0" or "12abc" as a number.
  if (!/^[0-9]{1,12}$/.test(timestampText)) throw new WebhookVerificationError('bad_timestamp');
  const timestamp = Number(timestampText);
  const tolerance = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = toUnixSeconds(input.now ?? new Date());
  if (now - timestamp > tolerance) throw new WebhookVerificationError('timestamp_too_old');
  if (timestamp - now > tolerance) throw new WebhookVerificationError('timestamp_too_new');

  const offered = signatureHeader
    .split(/\s+/)
    .filter((entry) => entry.startsWith('v1,')) // other schemes (v1a = ed25519, v2…) are skipped
    .map((entry) => Buffer.from(entry.slice(3), 'utf8'));

  for (const key of keys) {
    const expected = Buffer.from(computeSignature(key, id, timestamp, input.body), 'utf8');
    for (const candidate of offered) {
      // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the key.
      if (candidate.length === expected.length && timingSafeEqual(candidate, expected)) {
        return { id, timestamp };
      }
    }
  }
  throw new WebhookVerificationError('no_matching_signature');
}

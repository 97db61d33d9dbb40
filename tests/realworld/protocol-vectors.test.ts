// Standard Webhooks test vectors (collected from the official libraries' test suites) run
// against our signing module. Reads ../shared/fixtures, so it lives in the real-world suite.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SigningSecret } from '../../packages/protocol/src/schemas.ts';
import {
  decodeWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from '../../packages/protocol/src/signing.ts';

type Vector = {
  name: string;
  secret?: string;
  msg_id?: string;
  timestamp?: number;
  payload?: string;
  headers?: Record<string, string>;
  expected_signature?: string;
  'webhook-signature'?: string;
  'webhook-timestamp'?: string;
  timestamps?: string[];
  secrets?: string[];
};
type Vectors = {
  valid: Vector[];
  invalid: Vector[];
  unpadded_secret_cases: { secret: string; padding_needed: number; equivalent_padded?: string }[];
  spec_example_unverifiable: { signed_content: string; headers: Record<string, string> };
  replicate_test_secret_format: { key: string };
};

const file = new URL('../../../shared/fixtures/webhooks/standard_webhooks/test_vectors.json', import.meta.url);
const vectors = JSON.parse(readFileSync(file, 'utf8')) as Vectors;
const base = vectors.valid[0]!;

// A vector with the known-answer defaults filled in, as the libraries' tests do.
function complete(v: Vector) {
  const id = v.msg_id ?? base.msg_id!;
  const timestamp = v.timestamp ?? base.timestamp!;
  const headers = {
    'webhook-id': id,
    'webhook-timestamp': v['webhook-timestamp'] ?? String(timestamp),
    'webhook-signature': v['webhook-signature'] ?? base.expected_signature!,
    ...v.headers,
  };
  return { id, timestamp, headers, secret: v.secret ?? base.secret!, body: v.payload ?? base.payload! };
}

function verifyOutcome(v: Vector, overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}) {
  const c = complete(v);
  try {
    return verifyWebhook({ headers: c.headers, body: c.body, secret: c.secret, now: c.timestamp, ...overrides });
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe('Standard Webhooks vectors: valid', () => {
  it.each(vectors.valid.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const c = complete(v);
    if (v.expected_signature) {
      expect(signWebhook({ id: c.id, timestamp: c.timestamp, body: c.body, secret: c.secret })).toBe(v.expected_signature);
      expect(signWebhook({ id: c.id, timestamp: new Date(c.timestamp * 1000), body: Buffer.from(c.body), secret: c.secret }))
        .toBe(v.expected_signature);
    }
    expect(verifyOutcome(v)).toEqual({ id: c.id, timestamp: c.timestamp });
    // The vectors are from 2021: with the real clock the 5-minute window must reject them.
    expect(verifyOutcome(v, { now: undefined })).toBe('timestamp_too_old');
  });
});

const expectedReason: Record<string, WebhookVerificationReason> = {
  wrong_signature_last_char: 'no_matching_signature',
  garbage_signature: 'no_matching_signature',
  non_base64_signature: 'no_matching_signature',
  tampered_payload: 'no_matching_signature',
  non_integer_timestamp: 'bad_timestamp',
};

describe('Standard Webhooks vectors: invalid', () => {
  it.each(vectors.invalid.map((v) => [v.name, v] as const))('%s', (name, v) => {
    if (v.secrets) {
      // Empty secrets must be refused up front, whichever way they are used.
      for (const secret of v.secrets) {
        expect(() => decodeWebhookSecret(secret)).toThrow(TypeError);
        expect(() => signWebhook({ id: base.msg_id!, timestamp: base.timestamp!, body: base.payload!, secret })).toThrow(TypeError);
        expect(() => verifyOutcome(v, { secret })).toThrow(TypeError);
      }
    } else if (v.timestamps) {
      for (const ts of v.timestamps) {
        expect(verifyOutcome({ ...v, 'webhook-timestamp': ts })).toBe('bad_timestamp');
        // The PHP test passes these strings to sign(); ours refuses anything but integer seconds.
        const timestamp = ts as unknown as number;
        expect(() => signWebhook({ id: base.msg_id!, timestamp, body: base.payload!, secret: base.secret! })).toThrow(TypeError);
      }
    } else if (name.startsWith('missing_')) {
      for (const header of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
        const { [header]: _gone, ...rest } = complete(base).headers;
        expect(verifyOutcome(base, { headers: rest })).toBe('missing_headers');
      }
    } else {
      // An unknown vector name fails here instead of passing silently.
      expect(expectedReason[name], `no expectation for vector ${name}`).toBeDefined();
      expect(verifyOutcome(v)).toBe(expectedReason[name]);
    }
  });
});

describe('Standard Webhooks vectors: secrets', () => {
  it.each(vectors.unpadded_secret_cases.map((c) => [c.secret, c] as const))('unpadded %s', (secret, c) => {
    const padded = c.equivalent_padded ?? secret;
    expect(padded.length % 4).toBe(0);
    expect(padded.length - secret.length).toBe(c.padding_needed);
    expect(decodeWebhookSecret(secret)).toEqual(decodeWebhookSecret(padded));
    const message = { id: base.msg_id!, timestamp: base.timestamp!, body: base.payload! };
    const signature = signWebhook({ ...message, secret: `whsec_${padded}` });
    const headers = { 'webhook-id': message.id, 'webhook-timestamp': String(message.timestamp), 'webhook-signature': signature };
    expect(verifyWebhook({ headers, body: message.body, secret, now: message.timestamp }).id).toBe(message.id);
  });

  it("accepts the whsec_ key format Replicate hands out", () => {
    const { key } = vectors.replicate_test_secret_format;
    expect(SigningSecret.safeParse(key).success).toBe(true);
    expect(decodeWebhookSecret(key).length).toBeGreaterThanOrEqual(24);
  });

  it('signs the spec example content shape and skips its v1a entry without error', () => {
    const ex = vectors.spec_example_unverifiable;
    const [id, ts] = [ex.headers['webhook-id']!, ex.headers['webhook-timestamp']!];
    expect(ex.signed_content.startsWith(`${id}.${ts}.{`)).toBe(true);
    const body = ex.signed_content.slice(`${id}.${ts}.`.length);
    // No secret was published, so any key we hold must fail on the signature, not the parsing.
    const outcome = verifyOutcome({ name: 'spec', headers: ex.headers, payload: body, timestamp: Number(ts), msg_id: id });
    expect(outcome).toBe('no_matching_signature');
  });
});

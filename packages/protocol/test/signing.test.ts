import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildSignedHeaders,
  decodeWebhookSecret,
  generateWebhookSecret,
  signWebhook,
  verifyWebhook,
  WebhookVerificationError,
  type WebhookVerificationReason,
} from '../src/signing.ts';

// Known answers are computed here with createHmac directly, an independent path from the
// module's own code, from a key we choose ourselves.
const keyBytes = randomBytes(24);
const secret = `whsec_${keyBytes.toString('base64')}`;
const body = '{"type":"job.started","job_id":"job_1","seq":0}';
const T = 1_700_000_000;
const hmacB64 = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest('base64');

function reasonOf(run: () => unknown): WebhookVerificationReason | 'no error' {
  try {
    run();
    return 'no error';
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
}

describe('signWebhook', () => {
  it('matches HMAC-SHA256 over "id.timestamp.body" with the base64-decoded key', () => {
    const expected = `v1,${hmacB64(keyBytes, `msg_1.${T}.${body}`)}`;
    expect(signWebhook({ id: 'msg_1', timestamp: T, body, secret })).toBe(expected);
    expect(signWebhook({ id: 'msg_1', timestamp: new Date(T * 1000 + 999), body, secret })).toBe(expected);
  });

  it('signs the same bytes for a string body and its UTF-8 Uint8Array', () => {
    const text = '{"caption":"café ☕"}';
    const bytes = new TextEncoder().encode(text);
    expect(signWebhook({ id: 'msg_2', timestamp: T, body: bytes, secret })).toBe(
      signWebhook({ id: 'msg_2', timestamp: T, body: text, secret }),
    );
  });

  it('treats an unprefixed secret as the same base64 text, padded or not', () => {
    const bare = keyBytes.subarray(0, 22).toString('base64'); // 22 bytes → "==" padding
    const args = { id: 'msg_3', timestamp: T, body };
    const reference = `v1,${hmacB64(keyBytes.subarray(0, 22), `msg_3.${T}.${body}`)}`;
    expect(signWebhook({ ...args, secret: bare })).toBe(reference);
    expect(signWebhook({ ...args, secret: bare.replace(/=+$/, '') })).toBe(reference);
    expect(signWebhook({ ...args, secret: `whsec_${bare}` })).toBe(reference);
  });

  it('rejects empty or non-base64 secrets and unusable ids or timestamps', () => {
    for (const bad of ['', 'whsec_', 'whsec_abc!', 'not base64', 'abcde']) {
      expect(() => decodeWebhookSecret(bad)).toThrow(TypeError);
    }
    expect(() => signWebhook({ id: 'msg.1', timestamp: T, body, secret })).toThrow(TypeError);
    expect(() => signWebhook({ id: 'msg_1', timestamp: -5, body, secret })).toThrow(TypeError);
    expect(() => signWebhook({ id: 'msg_1', timestamp: 1.5, body, secret })).toThrow(TypeError);
  });

  it('generates whsec_ secrets of 32 random bytes', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(decodeWebhookSecret(a)).toHaveLength(32);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});

describe('verifyWebhook', () => {
  const signed = buildSignedHeaders({ body, secret, id: 'msg_abc', now: T });
  const verify = (over: Partial<Parameters<typeof verifyWebhook>[0]> = {}) =>
    verifyWebhook({ headers: signed, body, secret, now: T, ...over });

  it('round-trips headers built by buildSignedHeaders', () => {
    expect(signed['webhook-timestamp']).toBe(String(T));
    expect(signed['webhook-signature']).toBe(`v1,${hmacB64(keyBytes, `msg_abc.${T}.${body}`)}`);
    expect(verify()).toEqual({ id: 'msg_abc', timestamp: T });
  });

  it('gives each message a fresh msg_ id by default', () => {
    const a = buildSignedHeaders({ body, secret })['webhook-id'];
    expect(a).toMatch(/^msg_[A-Za-z0-9_-]+$/);
    expect(buildSignedHeaders({ body, secret })['webhook-id']).not.toBe(a);
  });

  it('accepts a Headers object and any header-name case', () => {
    expect(verify({ headers: new Headers(signed) }).id).toBe('msg_abc');
    const upper = Object.fromEntries(Object.entries(signed).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verify({ headers: upper }).id).toBe('msg_abc');
  });

  it('verifies a raw Uint8Array body exactly like the string body', () => {
    expect(verify({ body: new TextEncoder().encode(body) }).id).toBe('msg_abc');
  });

  it('refuses a tampered body, id or timestamp, and a wrong secret', () => {
    expect(reasonOf(() => verify({ body: body.replace('job_1', 'job_2') }))).toBe('no_matching_signature');
    expect(reasonOf(() => verify({ body: `${body} ` }))).toBe('no_matching_signature');
    expect(reasonOf(() => verify({ headers: { ...signed, 'webhook-id': 'msg_abd' } }))).toBe('no_matching_signature');
    const shifted = { ...signed, 'webhook-timestamp': String(T + 1) };
    expect(reasonOf(() => verify({ headers: shifted }))).toBe('no_matching_signature');
    expect(reasonOf(() => verify({ secret: generateWebhookSecret() }))).toBe('no_matching_signature');
  });

  it('passes when any one of several signatures matches, ignoring other versions', () => {
    const good = signed['webhook-signature'];
    const junk = `v1,${randomBytes(32).toString('base64')}`;
    const many = `${junk} v2,${good.slice(3)} ${good}  ${junk}`;
    expect(verify({ headers: { ...signed, 'webhook-signature': many } }).id).toBe('msg_abc');
  });

  it('ignores v1a (asymmetric) entries even when they carry the right HMAC', () => {
    const onlyV1a = { ...signed, 'webhook-signature': `v1a,${signed['webhook-signature'].slice(3)}` };
    expect(reasonOf(() => verify({ headers: onlyV1a }))).toBe('no_matching_signature');
  });

  it('accepts any of several secrets during a rotation', () => {
    const old = generateWebhookSecret();
    expect(verify({ secret: undefined, secrets: [old, secret] }).id).toBe('msg_abc');
    expect(verify({ secret: old, secrets: [secret] }).id).toBe('msg_abc');
    expect(reasonOf(() => verify({ secret: undefined, secrets: [old] }))).toBe('no_matching_signature');
    expect(() => verify({ secret: undefined, secrets: [] })).toThrow(TypeError);
  });

  it('allows exactly 5 minutes of skew either way, not one second more', () => {
    expect(verify({ now: T + 300 }).id).toBe('msg_abc');
    expect(verify({ now: new Date((T - 300) * 1000) }).id).toBe('msg_abc');
    expect(reasonOf(() => verify({ now: T + 301 }))).toBe('timestamp_too_old');
    expect(reasonOf(() => verify({ now: T - 301 }))).toBe('timestamp_too_new');
    expect(verify({ now: T + 600, toleranceSeconds: 600 }).id).toBe('msg_abc');
  });

  it('reports missing headers and malformed timestamps', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const { [name]: _dropped, ...rest } = signed;
      expect(reasonOf(() => verify({ headers: rest }))).toBe('missing_headers');
      expect(reasonOf(() => verify({ headers: { ...signed, [name]: '' } }))).toBe('missing_headers');
    }
    for (const ts of ['hello', `${T}.0`, `-${T}`, `${T}abc`, '0x10']) {
      expect(reasonOf(() => verify({ headers: { ...signed, 'webhook-timestamp': ts } }))).toBe('bad_timestamp');
    }
  });

  it('refuses truncated or empty signatures', () => {
    const sig = signed['webhook-signature'];
    for (const bad of [sig.slice(0, 8), 'v1,', 'v1', sig.slice(0, -1), `${sig}=`]) {
      expect(reasonOf(() => verify({ headers: { ...signed, 'webhook-signature': bad } }))).toBe(
        'no_matching_signature',
      );
    }
  });
});

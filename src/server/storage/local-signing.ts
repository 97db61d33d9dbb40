// Signed URLs of the local driver: `<base64url(JSON payload)>.<base64url(HMAC-SHA256)>`.
// The payload names the key, the method, the content type and byte limit of an upload,
// and the expiry, so a URL grants exactly one thing for a short time. The MAC is checked
// in constant time before the payload is even parsed.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { isValidKey } from './key-rules.ts';

export const LocalTokenPayload = z
  .object({
    v: z.literal(1).describe('Token format version.'),
    key: z.string().refine(isValidKey, 'invalid key').describe('The storage key this URL grants access to.'),
    method: z.enum(['GET', 'PUT']).describe('GET also allows HEAD.'),
    exp: z.number().int().describe('Expiry, Unix seconds.'),
    contentType: z.string().optional().describe('PUT: the Content-Type the client must send.'),
    maxBytes: z.number().int().nonnegative().optional().describe('PUT: largest body accepted.'),
    downloadName: z.string().max(200).optional().describe('GET: served as an attachment with this name.'),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional().describe('GET: the recorded checksum; the body errors instead of ending if the bytes differ.'),
    part: z
      .object({ uploadId: z.string().regex(/^[A-Za-z0-9_]{1,64}$/), partNumber: z.number().int().min(1).max(10_000) })
      .optional()
      .describe('PUT: this URL uploads one part of a multipart upload.'),
  })
  .strict();
export type LocalTokenPayload = z.infer<typeof LocalTokenPayload>;

export type SigningKey = string | Uint8Array;

const DOMAIN = 'lora-studio/storage/v1.'; // a MAC made for another purpose with the same key never verifies here

function mac(signingKey: SigningKey, payloadPart: string): Buffer {
  return createHmac('sha256', signingKey).update(DOMAIN).update(payloadPart).digest();
}

export function signLocalToken(payload: LocalTokenPayload, signingKey: SigningKey): string {
  const payloadPart = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
  return `${payloadPart}.${mac(signingKey, payloadPart).toString('base64url')}`;
}

export type VerifyFailure = 'malformed' | 'bad_signature' | 'expired';
export type VerifyResult = { ok: true; payload: LocalTokenPayload } | { ok: false; reason: VerifyFailure };

const B64URL = /^[A-Za-z0-9_-]+$/;

export function verifyLocalToken(token: string, signingKey: SigningKey, nowMs: number): VerifyResult {
  const parts = token.split('.');
  if (parts.length !== 2) return { ok: false, reason: 'malformed' };
  const [payloadPart, sigPart] = parts as [string, string];
  if (!B64URL.test(payloadPart) || !B64URL.test(sigPart) || payloadPart.length > 8192) return { ok: false, reason: 'malformed' };
  const given = Buffer.from(sigPart, 'base64url');
  const expected = mac(signingKey, payloadPart);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  const result = LocalTokenPayload.safeParse(parsed);
  if (!result.success) return { ok: false, reason: 'malformed' };
  if (result.data.exp * 1000 <= nowMs) return { ok: false, reason: 'expired' };
  return { ok: true, payload: result.data };
}

// Per-account sign-in limit (issue #11): failed sign-ins are counted per account, whatever
// address they come from, and a locked account refuses the right password too — that is
// the attack. Each attempt takes a point before Better Auth checks it (so parallel tries
// cannot race past the limit) and gets it back when the sign-in succeeds, so only failures
// count. The account is the email as Better Auth looks it up (lower-cased), read from a
// size-bounded clone of the body parsed the way Better Auth parses it; the key is its hash,
// so the limiter store never holds addresses.
import { createHash } from 'node:crypto';
import { readBoundedClone } from '@/server/http/bounded-body';
import { consumeRateLimit, refundRateLimit } from '@/server/http/rate-limit';

const MAX_BODY = 16 * 1024;
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json/i;

/** The limiter subject for the account a sign-in request names, or null if it names none. */
export async function signInAccount(request: Request): Promise<string | null> {
  const bytes = await readBoundedClone(request, MAX_BODY, `A sign-in body is at most ${MAX_BODY} bytes.`);
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  let email: unknown = null;
  try {
    if (JSON_TYPE.test(type)) email = (JSON.parse(new TextDecoder().decode(bytes)) as { email?: unknown } | null)?.email;
    else if (type.includes('application/x-www-form-urlencoded') || type.includes('multipart/form-data')) {
      email = (await new Response(bytes, { headers: { 'content-type': type } }).formData()).get('email');
    }
  } catch {
    return null; // Better Auth cannot read it either, so no password gets checked
  }
  if (typeof email !== 'string' || email.trim() === '') return null;
  return `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

/** Run one sign-in attempt under the per-account limit (429 with a lockout message when locked). */
export async function withAccountLimit(request: Request, attempt: () => Promise<Response>): Promise<Response> {
  const account = await signInAccount(request);
  if (!account) return attempt();
  await consumeRateLimit('auth_account', [account]);
  const response = await attempt();
  if (response.ok) await refundRateLimit('auth_account', account);
  return response;
}

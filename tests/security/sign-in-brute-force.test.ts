// Issue #11 defect 1: sign-in brute force. The attacker rotates X-Forwarded-For on every try
// (or uses many real addresses); the limits must key on who really connects (the socket) and
// on the account being tried, and a locked account must refuse the right password too.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { handleAuthRequest } from '@/server/auth/handler';
import { resetRateLimitsForTests } from '@/server/http/rate-limit';
import { call, peerHeaders } from '../helpers/http.ts';
import { randomIp, signUp } from '../helpers/users.ts';

const authPost = (request: Request) => handleAuthRequest(request, 'POST');
const signIn = (email: string, password: string, headers: Record<string, string>) =>
  call(authPost, '/api/auth/sign-in/email', { body: { email, password }, headers });
const spoofed = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i + 1}` });
/** A distinct real address per try: the per-IP limit never fires, so only the account limit can. */
const address = (i: number) => peerHeaders(`198.51.${100 + (i >> 8)}.${i & 255}`);

// Each test checks up to a dozen real password hashes (scrypt): allow for a loaded machine.
const SLOW = { timeout: 240_000 };

afterEach(() => resetRateLimitsForTests());

describe('sign-in brute force', () => {
  it('one socket, a new X-Forwarded-For every try: refused well before 25, the right password too', SLOW, async () => {
    const victim = await signUp('Victim');
    const socket = peerHeaders('192.0.2.33');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await signIn(victim.email, `wrong-${i}`, { ...socket, ...spoofed(i) })).status);
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThan(0);
    expect(firstRefusal).toBeLessThanOrEqual(10);
    expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);
    const right = await signIn(victim.email, victim.password, { ...socket, ...spoofed(99) });
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('rate_limit_exceeded');
  });

  it('no genuine socket address (plain next start, forged peer header): the tries still share one limit', SLOW, async () => {
    const victim = await signUp('Victim');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await signIn(victim.email, `wrong-${i}`, { ...spoofed(i), 'x-lora-studio-peer': `203.0.113.${i} forged` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });

  it('a new real address every try: the account locks after 10 failures and refuses the right password, with a lockout message', SLOW, async () => {
    const victim = await signUp('Victim');
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await signIn(victim.email, `wrong-${i}`, address(i))).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(15).fill(429));

    // The case and spacing of the email do not make a new account key.
    const right = await signIn(`  ${victim.email.toUpperCase()} `, victim.password, address(200));
    expect(right.status).toBe(429);
    expect(right.body.error.details.policy).toBe('auth_account');
    expect(right.body.error.message).toMatch(/Too many failed sign-ins for this account\. It is locked for 1[45] more minutes; try again after \d\d:\d\d UTC/);
    const retryAfter = Number(right.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    expect(right.headers.getSetCookie()).toEqual([]);

    // Form-encoded bodies name the same account; they do not get around the lock.
    const form = await call(authPost, '/api/auth/sign-in/email', {
      rawBody: new URLSearchParams({ email: victim.email, password: victim.password }).toString(),
      headers: { ...address(201), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(429);

    // Another account, from an address the attacker used, is not affected.
    const other = await signUp('Bystander');
    expect((await signIn(other.email, other.password, address(3))).status).toBe(200);
  });

  it('parallel tries cannot race past the account limit', SLOW, async () => {
    const victim = await signUp('Victim');
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => signIn(victim.email, `wrong-${i}`, address(300 + i))));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it('only failures count: a person signing in often is not locked out by their own sign-ins', SLOW, async () => {
    const u = await signUp('Regular');
    // More successful sign-ins than the account limit allows failures.
    for (let i = 0; i < 11; i++) expect((await signIn(u.email, u.password, address(400 + i))).status).toBe(200);
  });

  it('the per-IP limit still applies across accounts: one address trying many accounts is stopped', SLOW, async () => {
    const socket = peerHeaders(randomIp());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await signIn(`nobody-${randomBytes(4).toString('hex')}@example.test`, 'guess-123', { ...socket, ...spoofed(i) })).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });

  it('password checks outside sign-in (verify-password) and odd spellings of the path share the per-IP limit', SLOW, async () => {
    const socket = peerHeaders(randomIp());
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const path = ['/api/auth/verify-password', '/api/auth//verify-password', '/api/auth/Verify-Password/'][i % 3]!;
      statuses.push((await call(authPost, path, { body: { password: 'guess-123' }, headers: { ...socket, ...spoofed(i) } })).status);
    }
    expect(statuses.slice(0, 10)).not.toContain(429);
    expect(statuses[10]).toBe(429);
  });

  it('an oversized sign-in body is refused before any password is checked', SLOW, async () => {
    const u = await signUp('Padded');
    const res = await signIn(u.email, `${u.password}${' '.repeat(20_000)}`, address(500));
    expect(res.status).toBe(413);
  });
});

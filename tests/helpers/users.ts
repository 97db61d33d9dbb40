import { randomBytes } from 'node:crypto';
import { handleAuthRequest } from '@/server/auth/handler';
import { call, cookieFrom, peerHeaders } from './http.ts';

const authPost = (request: Request) => handleAuthRequest(request, 'POST');

/** Each simulated person connects from their own address, so the per-IP auth limit is per test user. */
export const randomIp = () => `198.18.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

export interface TestUser {
  email: string;
  password: string;
  cookie: string;
  userId: string;
}

/** Sign up through the real Better Auth endpoint and keep the session cookie. */
export async function signUp(name = 'Test User', ip: string = randomIp()): Promise<TestUser> {
  const email = `user-${randomBytes(4).toString('hex')}@example.test`;
  const password = `pw-${randomBytes(8).toString('hex')}`;
  const res = await call(authPost, '/api/auth/sign-up/email', {
    body: { email, password, name },
    headers: peerHeaders(ip),
  });
  if (res.status !== 200) throw new Error(`sign-up failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { email, password, cookie: cookieFrom(res.headers), userId: res.body.user.id as string };
}

export async function logIn(email: string, password: string, ip: string = randomIp()) {
  return call(authPost, '/api/auth/sign-in/email', { body: { email, password }, headers: peerHeaders(ip) });
}

// Issue #11 defect 1: every per-IP limit (route wrapper: jobs, upload, download; webhook
// ingest) keys on the connecting socket, so a new X-Forwarded-For per request does not buy a
// new bucket — unless TRUSTED_PROXIES / TRUSTED_PROXY_HOPS say the peer is our proxy. And a
// request without a genuine socket address still meets the limit (one 'unknown' bucket).
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as initRoute from '@/app/api/lora/datasets/init/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import * as downloadRoute from '@/app/api/lora/versions/[id]/download/route';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import { overrideEnvForTests } from '@/env';
import { RATE_LIMIT_POLICIES, resetRateLimitsForTests, type RateLimitPolicy } from '@/server/http/rate-limit';
import { call, peerHeaders } from '../helpers/http.ts';
import { signUp, type TestUser } from '../helpers/users.ts';

const SOCKET = '192.0.2.10';
const spoofed = (i: number) => ({ ...peerHeaders(SOCKET), 'x-forwarded-for': `198.18.${i >> 8}.${i & 255}` });

type Send = (u: TestUser, headers: Record<string, string>) => Promise<{ status: number; body: any }>;
const ROUTES: [RateLimitPolicy, Send][] = [
  ['jobs', (u, headers) => call(jobsRoute.POST, '/api/lora/jobs', { cookie: u.cookie, body: {}, headers })],
  ['upload', (u, headers) => call(initRoute.POST, '/api/lora/datasets/init', { cookie: u.cookie, body: {}, headers })],
  ['download', (u, headers) => call(downloadRoute.GET, '/api/lora/versions/ver_none/download', { cookie: u.cookie, params: { id: 'ver_none' }, headers })],
];

let users: TestUser[];
beforeAll(async () => {
  users = [await signUp('Spoofer A'), await signUp('Spoofer B')];
});
afterEach(() => {
  overrideEnvForTests({ TRUSTED_PROXIES: [], TRUSTED_PROXY_HOPS: 0 });
  resetRateLimitsForTests();
});

/** points+1 requests from one socket, alternating two accounts (neither reaches its own limit). */
async function hammer(policy: RateLimitPolicy, send: Send) {
  const out: { status: number; body: any }[] = [];
  for (let i = 0; i <= RATE_LIMIT_POLICIES[policy].points; i++) out.push(await send(users[i % 2]!, spoofed(i)));
  return out;
}

describe('per-IP limits ignore a client-chosen X-Forwarded-For', () => {
  it.each(ROUTES)('%s: a new X-Forwarded-For on every request still meets the socket’s limit', async (policy, send) => {
    const out = await hammer(policy, send);
    expect(out.slice(0, -1).filter((r) => r.status === 429)).toEqual([]);
    expect(out.at(-1)!.status).toBe(429);
    expect(out.at(-1)!.body.error.details.policy).toBe(policy);
  });

  it('jobs: with the peer named in TRUSTED_PROXIES (or one trusted hop) its entries are separate clients', async () => {
    overrideEnvForTests({ TRUSTED_PROXIES: [SOCKET] });
    expect((await hammer('jobs', ROUTES[0]![1])).map((r) => r.status)).not.toContain(429);
    resetRateLimitsForTests();
    overrideEnvForTests({ TRUSTED_PROXIES: [], TRUSTED_PROXY_HOPS: 1 });
    expect((await hammer('jobs', ROUTES[0]![1])).map((r) => r.status)).not.toContain(429);
    resetRateLimitsForTests();
    overrideEnvForTests({ TRUSTED_PROXIES: ['192.0.2.99'], TRUSTED_PROXY_HOPS: 0 }); // another proxy, not this peer
    expect((await hammer('jobs', ROUTES[0]![1])).at(-1)!.status).toBe(429);
  });

  it('webhook ingest: a new X-Forwarded-For per event from one socket meets the per-IP limit', async () => {
    let last = 0;
    for (let i = 0; i <= RATE_LIMIT_POLICIES.webhook.points; i++) last = (await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: '{}', headers: spoofed(i), origin: null })).status;
    expect(last).toBe(429);
  });

  it('webhook ingest: without a genuine socket address (forged peer header, any XFF) the limit still holds', async () => {
    let last = 0;
    for (let i = 0; i <= RATE_LIMIT_POLICIES.webhook.points; i++) {
      const headers = { 'x-lora-studio-peer': `198.18.0.${i & 255} forged`, 'x-forwarded-for': `198.18.${i >> 8}.${i & 255}` };
      last = (await call(webhookRoute.POST, '/api/lora/webhook', { rawBody: '{}', headers, origin: null })).status;
    }
    expect(last).toBe(429);
  });
});

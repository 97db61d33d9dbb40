// Issue #11 defect 1, over real HTTP: the loopback server stamps each request with its socket
// (withSocketPeer, exactly what scripts/serve.mjs does), so neither a rotating X-Forwarded-For
// nor a forged internal peer header sent by the client changes the key the limiter uses.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppServer, type AppServer } from '../e2e/app-server.ts';

let server: AppServer;
beforeAll(async () => {
  server = await startAppServer();
});
afterAll(() => server.close());

describe('the socket address over HTTP', () => {
  // 10 real password hashes (scrypt): allow for a loaded machine.
  it('sign-ins from one connection with forged X-Forwarded-For and peer headers meet one per-IP limit', { timeout: 240_000 }, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      const res = await fetch(`${server.url}/api/auth/sign-in/email`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          origin: server.url,
          'x-forwarded-for': `198.18.7.${i}`,
          'x-real-ip': `198.18.8.${i}`,
          'x-lora-studio-peer': `198.18.9.${i} forged-mac`,
        },
        // A new account each time, so only the per-IP limit can stop them.
        body: JSON.stringify({ email: `nobody-${randomBytes(4).toString('hex')}@example.test`, password: 'guess-12345' }),
      });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

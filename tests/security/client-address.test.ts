// Issue #11 defect 1: the one client-address function every limiter uses. The socket peer is
// the client unless the operator named it a trusted proxy; X-Forwarded-For is walked from the
// right only across trusted hops; a forged internal peer header is ignored.
import { afterEach, describe, expect, it } from 'vitest';
import { EnvError, overrideEnvForTests, parseEnv } from '@/env';
import { ipSubject } from '@/server/http/rate-limit';
import { clientIp, resolveClientAddress, type ProxyTrust } from '@/server/http/request-info';
import { PEER_HEADER, readPeer, stampPeer } from '@/server/http/socket-peer.mjs';
import { peerHeaders } from '../helpers/http.ts';

const none: ProxyTrust = { proxies: [], hops: 0 };
const lan: ProxyTrust = { proxies: ['10.0.0.0/8'], hops: 0 };

describe('resolveClientAddress (socket, X-Forwarded-For, trust) → client', () => {
  it.each([
    // no trusted proxy: the socket, whatever the header says
    ['198.51.100.1', '1.2.3.4', none, '198.51.100.1'],
    ['198.51.100.1', null, none, '198.51.100.1'],
    ['::ffff:198.51.100.3', '1.2.3.4', none, '198.51.100.3'],
    ['10.0.0.5', '1.2.3.4', none, '10.0.0.5'],
    // no genuine socket address: unknown, even with trust configured
    [null, '1.2.3.4', none, null],
    [null, '1.2.3.4', { proxies: [], hops: 1 }, null],
    [null, '1.2.3.4', lan, null],
    // trusted proxy by address: its entry is believed, the client's own entries are not
    ['10.0.0.5', '1.2.3.4', lan, '1.2.3.4'],
    ['10.0.0.5', '6.6.6.6, 1.2.3.4', lan, '1.2.3.4'],
    ['10.0.0.5', '6.6.6.6, 1.2.3.4, 10.0.0.7', lan, '1.2.3.4'],
    ['10.0.0.5', '10.9.9.9, 10.0.0.7', lan, '10.9.9.9'], // every hop trusted: the furthest one
    ['10.0.0.5', null, lan, '10.0.0.5'],
    ['203.0.113.9', '1.2.3.4', lan, '203.0.113.9'], // peer is not one of ours
    ['10.0.0.5', 'not-an-ip', lan, '10.0.0.5'],
    ['10.0.0.5', '1.2.3.4:5678', lan, '1.2.3.4'],
    ['10.0.0.5', '[2001:db8::1]:443', lan, '2001:db8::1'],
    ['::ffff:127.0.0.1', '1.2.3.4', { proxies: ['loopback'], hops: 0 }, '1.2.3.4'],
    ['192.168.1.2', '6.6.6.6, 1.2.3.4', { proxies: ['private'], hops: 0 }, '1.2.3.4'],
    ['2001:db8::5', '2001:db9::1', { proxies: ['2001:db8::/32'], hops: 0 }, '2001:db9::1'],
    ['2001:db9::5', '2001:db9::1', { proxies: ['2001:db8::/32'], hops: 0 }, '2001:db9::5'],
    ['10.0.0.5', '1.2.3.4', { proxies: ['10.0.0.5'], hops: 0 }, '1.2.3.4'],
    ['10.0.0.6', '1.2.3.4', { proxies: ['10.0.0.5'], hops: 0 }, '10.0.0.6'],
    // trusted by hop count: N hops from the socket are believed, whatever their address
    ['203.0.113.9', '6.6.6.6, 1.2.3.4', { proxies: [], hops: 1 }, '1.2.3.4'],
    ['203.0.113.9', '6.6.6.6, 1.2.3.4, 192.0.2.1', { proxies: [], hops: 2 }, '1.2.3.4'],
    ['203.0.113.9', '1.2.3.4', { proxies: [], hops: 2 }, '1.2.3.4'], // fewer entries than hops
  ] as const)('socket %s, XFF %s, trust %j → %s', (socket, xff, trust, expected) => {
    expect(resolveClientAddress(socket, xff, trust)).toBe(expected);
  });
});

describe('the internal peer header', () => {
  afterEach(() => overrideEnvForTests({ TRUSTED_PROXIES: [], TRUSTED_PROXY_HOPS: 0 }));

  const request = (headers: Record<string, string>) => new Request('http://localhost:3000/x', { headers });

  it('is believed only with the server’s MAC; a forged one is ignored', () => {
    const genuine = peerHeaders('198.51.100.50');
    expect(clientIp(request(genuine))).toBe('198.51.100.50');
    expect(clientIp(request({ [PEER_HEADER]: '198.51.100.50' }))).toBeNull();
    expect(clientIp(request({ [PEER_HEADER]: '198.51.100.50 AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' }))).toBeNull();
    // a genuine MAC for one address does not vouch for another
    const mac = genuine[PEER_HEADER]!.split(' ')[1];
    expect(clientIp(request({ [PEER_HEADER]: `1.2.3.4 ${mac}` }))).toBeNull();
    expect(readPeer(`${genuine[PEER_HEADER]} extra`)).toBeNull();
  });

  it('a client cannot choose its address with X-Forwarded-For unless its peer is a trusted proxy', () => {
    const spoofed = { ...peerHeaders('198.51.100.51'), 'x-forwarded-for': '6.6.6.6' };
    expect(clientIp(request(spoofed))).toBe('198.51.100.51');
    expect(clientIp(request({ 'x-forwarded-for': '6.6.6.6', 'x-real-ip': '6.6.6.7' }))).toBeNull();
    overrideEnvForTests({ TRUSTED_PROXIES: ['198.51.100.51'] });
    expect(clientIp(request(spoofed))).toBe('6.6.6.6');
    overrideEnvForTests({ TRUSTED_PROXIES: [], TRUSTED_PROXY_HOPS: 1 });
    expect(clientIp(request(spoofed))).toBe('6.6.6.6');
  });

  it('the server drops the client’s copy and sets it from the socket', () => {
    peerHeaders('127.0.0.1'); // installs the per-process secret, as scripts/serve.mjs does
    const incoming: Record<string, string | string[] | undefined> = { [PEER_HEADER]: '6.6.6.6 forged', host: 'x' };
    stampPeer(incoming, '::ffff:192.0.2.9');
    expect(incoming[PEER_HEADER]).not.toContain('6.6.6.6');
    expect(clientIp(request(incoming as Record<string, string>))).toBe('192.0.2.9');
    const noSocket: Record<string, string | undefined> = { [PEER_HEADER]: '6.6.6.6 forged' };
    stampPeer(noSocket, undefined);
    expect(noSocket[PEER_HEADER]).toBeUndefined();
  });
});

describe('limiter keys and configuration', () => {
  it('keys IPv6 by /64 and the unknown client as one bucket', () => {
    expect(ipSubject('2001:db8:1:2:aaaa::1')).toBe(ipSubject('2001:db8:1:2:ffff:ffff:ffff:ffff'));
    expect(ipSubject('2001:db8:1:2::1')).not.toBe(ipSubject('2001:db8:1:3::1'));
    expect(ipSubject('198.51.100.1')).toBe('ip:198.51.100.1');
    expect(ipSubject(null)).toBe('ip:unknown');
  });

  it('TRUSTED_PROXIES and TRUSTED_PROXY_HOPS are validated at start with a message naming them', () => {
    const base = { AUTH_SECRET: 'a'.repeat(32), WORKER_HMAC_SECRET: 'b'.repeat(32), STORAGE_SIGNING_KEY: 'c'.repeat(32), LOCAL_WORKER_TOKEN: 'd'.repeat(32), DEMO_PASSWORD: 'password1' };
    expect(parseEnv(base, { generateSecrets: false })).toMatchObject({ TRUSTED_PROXIES: [], TRUSTED_PROXY_HOPS: 0 });
    expect(parseEnv({ ...base, TRUSTED_PROXIES: '10.0.0.0/8, 192.0.2.1 loopback,2001:db8::/32' }, { generateSecrets: false }).TRUSTED_PROXIES).toEqual(['10.0.0.0/8', '192.0.2.1', 'loopback', '2001:db8::/32']);
    for (const bad of ['10.0.0.0/33', 'proxy.internal', '10.0.0.0/8/1', '2001:db8::/129']) {
      expect(() => parseEnv({ ...base, TRUSTED_PROXIES: bad }, { generateSecrets: false })).toThrow(EnvError);
      expect(() => parseEnv({ ...base, TRUSTED_PROXIES: bad }, { generateSecrets: false })).toThrow(/TRUSTED_PROXIES: .*not an IP address|TRUSTED_PROXIES: .*prefix length/);
    }
    expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: '-1' }, { generateSecrets: false })).toThrow(/TRUSTED_PROXY_HOPS/);
    expect(() => parseEnv({ ...base, TRUSTED_PROXY_HOPS: 'one' }, { generateSecrets: false })).toThrow(/TRUSTED_PROXY_HOPS/);
  });
});

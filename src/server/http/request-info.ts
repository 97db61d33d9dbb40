// The client address: the one function every limiter, audit row and consent record uses.
// It starts from the socket peer that our HTTP server vouches for (socket-peer.mjs) and
// believes X-Forwarded-For only hop by hop, from the right, while the hop that wrote the
// entry is a trusted proxy (TRUSTED_PROXIES / TRUSTED_PROXY_HOPS). Nothing a client sends
// can choose the result unless the operator said its peer is a proxy. Without a genuine
// socket address (plain `next start`, a handler called in-process) the client is unknown
// (null); limiters then share one 'unknown' bucket rather than skip the limit.
import { BlockList, isIP } from 'node:net';
import { env, PROXY_KEYWORDS } from '@/env';
import { logger } from './logger.ts';
import { PEER_HEADER, readPeer } from './socket-peer.mjs';

export interface ProxyTrust {
  /** IPs, CIDRs and keywords (loopback, private, linklocal), validated by src/env.ts. */
  proxies: readonly string[];
  /** Hops counted from the socket peer that are trusted whatever their address. */
  hops: number;
}

const KEYWORD_RANGES: Record<(typeof PROXY_KEYWORDS)[number], string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
};

const lists = new WeakMap<readonly string[], BlockList>();

function blockListFor(proxies: readonly string[]): BlockList {
  let list = lists.get(proxies);
  if (list) return list;
  list = new BlockList();
  for (const entry of proxies.flatMap((p) => KEYWORD_RANGES[p as keyof typeof KEYWORD_RANGES] ?? [p])) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  lists.set(proxies, list);
  return list;
}

/**
 * One address as a proxy or socket writes it → a plain IP, or null if it is not one.
 * Accepts `1.2.3.4:5678`, `[2001:db8::1]:443`, zone ids, and IPv4-mapped IPv6.
 */
export function normalizeAddress(raw: string): string | null {
  let a = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) a = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  a = a.replace(/%.*$/, '').toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  if (mapped) a = mapped[1]!;
  return isIP(a) ? a : null;
}

/** The pure rule (unit-tested as a table): socket peer + X-Forwarded-For + trust → client. */
export function resolveClientAddress(socket: string | null, forwardedFor: string | null, trust: ProxyTrust): string | null {
  const peer = socket ? normalizeAddress(socket) : null;
  if (!peer) return null;
  const list = blockListFor(trust.proxies);
  // chain[0] is the socket peer; each later entry is what the hop before it says it saw.
  const chain = (forwardedFor ?? '').split(',').map((s) => s.trim()).filter(Boolean).reverse();
  let client = peer;
  for (let i = 0; i < chain.length; i++) {
    const trusted = i < trust.hops || list.check(client, isIP(client) === 6 ? 'ipv6' : 'ipv4');
    if (!trusted) return client;
    const next = normalizeAddress(chain[i]!);
    if (!next) return client; // a trusted hop wrote something that is not an address
    client = next;
  }
  return client;
}

let warnedUnknown = false;

/** The client address of a request (or of the headers a server component sees); null = unknown. */
export function clientIp(source: Request | Pick<Headers, 'get'>): string | null {
  const headers = source instanceof Request ? source.headers : source;
  const socket = readPeer(headers.get(PEER_HEADER));
  const e = env();
  if (!socket && e.NODE_ENV === 'production' && !warnedUnknown) {
    warnedUnknown = true;
    logger().warn('no verified socket address on requests: start the app with `npm start` (scripts/serve.mjs), not `next start`; per-IP limits now share one bucket');
  }
  return resolveClientAddress(socket, headers.get('x-forwarded-for'), { proxies: e.TRUSTED_PROXIES, hops: e.TRUSTED_PROXY_HOPS });
}

// Call real route handlers in-process with real Requests: the same code `next start` runs,
// against the test's own database.
import { installPeerSecret, stampPeer } from '@/server/http/socket-peer.mjs';

export const APP = 'http://localhost:3000';

/**
 * The headers scripts/serve.mjs would add for a client connected from `ip` (a genuine socket
 * address). The default X-Forwarded-For of call() is a client-chosen header: it is ignored.
 */
export function peerHeaders(ip: string): Record<string, string> {
  installPeerSecret();
  const headers: Record<string, string> = {};
  stampPeer(headers, ip);
  return headers;
}

type Handler = (request: Request, ctx?: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface CallOptions {
  method?: string;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  params?: Record<string, string>;
  cookie?: string;
  apiKey?: string;
  origin?: string | null;
}

export async function call(handler: Handler, path: string, opts: CallOptions = {}): Promise<{ status: number; body: any; headers: Headers }> {
  const method = opts.method ?? (opts.body !== undefined || opts.rawBody !== undefined ? 'POST' : 'GET');
  const headers: Record<string, string> = { 'x-forwarded-for': '203.0.113.10', ...opts.headers };
  if (opts.body !== undefined || opts.rawBody !== undefined) headers['content-type'] ??= 'application/json';
  if (opts.cookie) headers.cookie = opts.cookie;
  if (opts.apiKey) headers['x-api-key'] = opts.apiKey;
  if (opts.origin !== null && method !== 'GET') headers.origin ??= opts.origin ?? APP;
  const request = new Request(`${APP}${path}`, {
    method,
    headers,
    body: opts.rawBody ?? (opts.body !== undefined ? JSON.stringify(opts.body) : undefined),
  });
  const res = await handler(request, { params: Promise.resolve(opts.params ?? {}) });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

/** The cookie header a browser would send back after this response. */
export function cookieFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

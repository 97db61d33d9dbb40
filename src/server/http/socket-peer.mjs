// The socket address, handed from our HTTP server (scripts/serve.mjs, tests/e2e/app-server.ts)
// to the route code, which cannot see the socket. Plain JavaScript so the server can import it
// without a build. Invariant: the header reaches the app only as the server set it — the server
// drops any copy the client sent, and the value carries an HMAC under a random per-process
// secret that never leaves memory, so a forged header (e.g. sent straight to a plain
// `next start`, which has no secret) is ignored.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const PEER_HEADER = 'x-lora-studio-peer';
const SECRET = Symbol.for('lora-studio.peer-secret');

/** Called once by the process that owns the sockets, before it serves a request. */
export function installPeerSecret() {
  globalThis[SECRET] ??= randomBytes(32);
}

function mac(secret, address) {
  return createHmac('sha256', secret).update(address).digest('base64url');
}

/** Server side, on every request: remove the client's copy, then set it from the socket. */
export function stampPeer(headers, remoteAddress) {
  delete headers[PEER_HEADER];
  const secret = globalThis[SECRET];
  if (!secret || !remoteAddress) return;
  headers[PEER_HEADER] = `${remoteAddress} ${mac(secret, remoteAddress)}`;
}

/** Wrap a Node request listener so every request it sees carries the stamp of its socket. */
export function withSocketPeer(listener) {
  installPeerSecret();
  return (req, res) => {
    stampPeer(req.headers, req.socket.remoteAddress);
    return listener(req, res);
  };
}

/** App side: the socket address if the header is genuine, else null. */
export function readPeer(value) {
  const secret = globalThis[SECRET];
  if (!secret || typeof value !== 'string') return null;
  const [address, given, extra] = value.split(' ');
  if (!address || !given || extra !== undefined) return null;
  const expected = Buffer.from(mac(secret, address));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? address : null;
}

#!/usr/bin/env node
// The app's HTTP server: Next's request handler behind node:http, so route code can know who
// is connected (Next gives route handlers no socket). On every request it drops any copy of
// the internal peer header the client sent and sets it from the socket
// (src/server/http/socket-peer.mjs); X-Forwarded-For is then believed only as far as
// TRUSTED_PROXIES / TRUSTED_PROXY_HOPS say (src/server/http/request-info.ts).
// `npm start` and the browser tests run this instead of `next start`; so should deployments.
// Usage: node scripts/serve.mjs [-p PORT] [-H HOST]   (built app: `npm run build` first)
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withSocketPeer } from '../src/server/http/socket-peer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root); // the app finds drizzle/ and data/ from the repository root
const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const port = Number(flag('-p') ?? 3000);
const hostname = flag('-H'); // undefined: all interfaces, like `next start`

process.env.NODE_ENV ??= 'production'; // as `next start` does, before Next loads
const { default: next } = await import('next');
const app = next({ dev: false, dir: root, hostname: hostname ?? 'localhost', port });
await app.prepare();
const handle = app.getRequestHandler();

const server = http.createServer(
  withSocketPeer((req, res) =>
    handle(req, res).catch((err) => {
      console.error('[serve] request failed', err);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    }),
  ),
);
server.listen(port, hostname, () => console.log(`[serve] listening on http://${hostname ?? 'localhost'}:${port}`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));

// The real route handlers behind a loopback HTTP server (the shape of tests/e2e/app-server.ts,
// plus the routes a bench needs: sign-up, models, jobs, lease, webhook and the SSE stream).
// A client that goes away aborts its Request's signal and cancels the response body, as
// `next start` does (signalFromNodeResponse, pipeToNodeResponse), so an SSE generator ends and
// unsubscribes. The Request is held until the response closes: undici links request.signal to
// the given signal only through a WeakRef, so once a Request is garbage-collected its signal
// never aborts (Node 20; see RESULTS.md of sse-fanout).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import * as authRoute from '@/app/api/auth/[...all]/route';
import * as eventsRoute from '@/app/api/lora/jobs/[id]/events/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import * as leaseRoute from '@/app/api/workers/lease/route';

type Handler = (request: Request) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };

function route(method: string, path: string): Handler | null {
  if (path.startsWith('/api/auth/')) return method === 'POST' ? authRoute.POST : method === 'GET' ? authRoute.GET : null;
  if (method === 'POST' && path === '/api/lora/webhook') return (r) => webhookRoute.POST(r);
  if (method === 'POST' && path === '/api/lora/models') return (r) => modelsRoute.POST(r, noParams);
  if (method === 'POST' && path === '/api/lora/jobs') return (r) => jobsRoute.POST(r, noParams);
  if (method === 'POST' && path === '/api/workers/lease') return (r) => leaseRoute.POST(r);
  const m = /^\/api\/lora\/jobs\/([^/]+)\/events$/.exec(path);
  if (method === 'GET' && m) return (r) => eventsRoute.GET(r, { params: Promise.resolve({ id: decodeURIComponent(m[1]!) }) });
  return null;
}

export interface BenchServer {
  url: string;
  close(): Promise<void>;
}

export async function startBenchServer(port: number): Promise<BenchServer> {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const handler = route(req.method ?? 'GET', url.pathname);
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const aborted = new AbortController();
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const init = { method: req.method, headers, body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined, duplex: 'half', signal: aborted.signal };
    const request = new Request(url, init as RequestInit);
    let body: Readable | null = null;
    res.on('close', () => {
      if (!res.writableFinished) aborted.abort(request.url); // names the Request: it stays reachable until here
      body?.destroy(); // cancels the web stream → the route's cancel()
    });
    try {
      const response = await handler(request);
      const out: Record<string, string | string[]> = Object.fromEntries(response.headers);
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) out['set-cookie'] = cookies;
      res.writeHead(response.status, out);
      if (response.body) (body = Readable.fromWeb(response.body as never)).on('error', () => res.destroy()).pipe(res);
      else res.end();
    } catch (err) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
    }
  });
  // Idle keep-alive sockets outlive the gaps between phases: with Node's 5 s default the server
  // may close one just as a sender reuses it (ECONNRESET), which would be a bench artefact.
  server.keepAliveTimeout = 120_000;
  // A burst of SSE connects must not overflow the accept queue.
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', 4096, resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

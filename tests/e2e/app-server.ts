// The real route handlers behind a real loopback HTTP server, so an unmodified worker can
// talk to the app in-process: lease, heartbeat, events and signed storage URLs (and the
// auth endpoints, for the tests that sign in over HTTP).
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createBackends, silentLogger, startPullWorker, type PullWorker } from '@lora-studio/worker';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import * as heartbeatRoute from '@/app/api/workers/heartbeat/route';
import * as leaseRoute from '@/app/api/workers/lease/route';
import { handleAuthRequest } from '@/server/auth/handler';
import { getDb } from '@/server/db';
import { withSocketPeer } from '@/server/http/socket-peer.mjs';
import { serveLocalStorage } from '@/server/storage';
import { createWorkerToken } from '@/server/workers/tokens';

type Handler = (request: Request) => Promise<Response>;

function route(method: string, path: string): Handler | null {
  if (method === 'POST' && path === '/api/workers/lease') return (r) => leaseRoute.POST(r);
  if (method === 'POST' && path === '/api/workers/heartbeat') return (r) => heartbeatRoute.POST(r);
  if (method === 'POST' && path === '/api/lora/webhook') return (r) => webhookRoute.POST(r);
  if (method === 'POST' && path.startsWith('/api/auth/')) return (r) => handleAuthRequest(r, 'POST');
  const m = /^\/api\/storage\/local\/([^/]+)$/.exec(path);
  if (m) return (r) => serveLocalStorage(r, m[1]!);
  return null;
}

export interface AppServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startAppServer(port = 0): Promise<AppServer> {
  // withSocketPeer: what scripts/serve.mjs does, so the limiters see the real peer.
  const server = http.createServer(withSocketPeer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const handler = route(req.method ?? 'GET', url.pathname);
    if (!handler) {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, { method: req.method, headers, body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined, duplex: 'half' } as RequestInit);
    const response = await handler(request);
    res.writeHead(response.status, Object.fromEntries(response.headers));
    if (response.body && req.method !== 'HEAD') Readable.fromWeb(response.body as never).pipe(res);
    else res.end();
  }));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The unmodified reference worker (pull mode, cpu-reference) with a fresh worker token. */
export async function startTestWorker(controlPlane: string, name: string): Promise<PullWorker> {
  const { token } = await createWorkerToken(await getDb(), { name });
  return startPullWorker({
    controlPlane,
    token,
    workerId: name.replace(/[^a-z0-9-]+/gi, '-'),
    capabilities: { modalities: ['image', 'text'], base_families: ['tiny'], backends: ['cpu-reference'], gpu: null },
    backends: createBackends(['cpu-reference'], { gpuTools: {} }),
    concurrency: 1,
    workRoot: mkdtempSync(path.join(os.tmpdir(), 'e2e-worker-')),
    log: silentLogger,
    idleMs: 200,
  });
}

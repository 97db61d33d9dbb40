// A real loopback HTTP server in front of the local driver's signed-URL handler, adapting
// Node's req/res to the Request/Response the Next.js route receives.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalStorageDriver } from '@/server/storage/local';
import { handleLocalStorageRequest } from '@/server/storage/local-route';

export const SIGNING_KEY = 'test-signing-key-0123456789abcdef-0123456789';
const ROUTE = '/api/storage/local/';

function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', base), {
    method: req.method,
    headers,
    ...(hasBody ? { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: 'half' } : {}),
  } as RequestInit);
}

export interface LocalHarness {
  driver: LocalStorageDriver;
  rootDir: string;
  baseUrl: string;
  /** The server's clock, in ms; move it to expire tokens. */
  clock: { now: number | null };
  stop(): Promise<void>;
}

export async function startLocalHarness(): Promise<LocalHarness> {
  const rootDir = await mkdtemp(path.join(tmpdir(), 'lora-storage-'));
  const clock: { now: number | null } = { now: null };
  // The driver needs the server's URL, the server needs the driver: filled in after listen().
  const bound: { driver?: LocalStorageDriver; base: string } = { base: '' };
  const server: Server = createServer((req, res) => {
    void (async () => {
      try {
        const url = new URL(req.url ?? '/', bound.base);
        if (!url.pathname.startsWith(ROUTE)) {
          res.writeHead(404).end();
          return;
        }
        const token = decodeURIComponent(url.pathname.slice(ROUTE.length));
        const response = await handleLocalStorageRequest(toRequest(req, bound.base), token, {
          driver: bound.driver!,
          signingKey: SIGNING_KEY,
          now: () => clock.now ?? Date.now(),
        });
        const headers = Object.fromEntries(response.headers);
        // A refused upload leaves request bytes unread on the socket: close it rather than
        // let the client reuse a connection whose stream is out of step (Node does the same).
        if (!req.complete) headers.connection = 'close';
        res.writeHead(response.status, headers);
        if (response.body) for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) res.write(chunk);
        res.end();
      } catch (e) {
        res.writeHead(500).end(String(e));
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const driver = new LocalStorageDriver({ rootDir, appUrl: base, signingKey: SIGNING_KEY });
  Object.assign(bound, { base, driver });
  return {
    driver,
    rootDir,
    baseUrl: base,
    clock,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(rootDir, { recursive: true, force: true });
    },
  };
}

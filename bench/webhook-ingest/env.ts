// The bench process's environment, set BEFORE any app module is imported (src/env.ts parses
// it once, on first use): a private DATA_DIR, in-memory PGlite — or, with BENCH_DATABASE_URL,
// a fresh database on that server, dropped at the end — silent logs, no demo account, no
// scheduler (nothing but the bench touches the job), and APP_URL = the loopback server's own
// address, so same-origin checks and signed URLs name the server the bench really talks to.
// Import this module first; ES modules evaluate imports in order.
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createTempDatabase } from '../../tests/helpers/temp-database.ts';

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export const BENCH_PORT = await freePort();
export const BENCH_URL = `http://127.0.0.1:${BENCH_PORT}`;

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lora-studio-bench-'));
const serverUrl = process.env.BENCH_DATABASE_URL;
let tempDb: { url: string; drop: () => Promise<void> } | null = null;

process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL = 'silent';
process.env.APP_URL = BENCH_URL;
process.env.DEMO_ACCOUNT = '0';
process.env.SCHEDULER = '0';
// The bench creates a handful of jobs; the monthly Pro quota must not be what it measures.
process.env.PLAN_PRO_OVERRIDE = '1000';
for (const k of ['DATABASE_URL', 'STORAGE_PROVIDER', 'REDIS_URL', 'RATE_LIMIT_STORE', 'SENTRY_DSN', 'WORKER_URL']) delete process.env[k];

if (serverUrl) {
  tempDb = await createTempDatabase(serverUrl, 'lsbench');
  process.env.DATABASE_URL = tempDb.url;
} else {
  process.env.PGLITE_DIR = 'memory://';
}

export const DATABASE_KIND: 'pglite' | 'postgres' = serverUrl ? 'postgres' : 'pglite';

/** Close the app's database, drop the bench database (Postgres) and remove DATA_DIR. */
export async function cleanupBenchEnv(): Promise<void> {
  const { closeDb } = await import('@/server/db');
  await closeDb().catch(() => undefined);
  await tempDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
}

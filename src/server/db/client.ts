// One database module: PGlite (real Postgres in WASM) when DATABASE_URL is unset, data
// under DATA_DIR/pglite (or in memory for tests); node-postgres otherwise. The handle lives
// on globalThis so every bundle of the Next.js server (instrumentation, routes) shares one
// PGlite instance — two instances on one data dir would corrupt it.
import { existsSync } from 'node:fs';
import { fromProjectRoot } from '@/server/runtime-paths';
import * as schema from './schema/index.ts';
import type { Db } from './types.ts';

export interface DbHandle {
  kind: 'pglite' | 'postgres';
  db: Db;
  /** Subscribe to a Postgres NOTIFY channel; returns an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
  /** The node-postgres pool (Postgres only), for stores that need a raw client. */
  pool?: import('pg').Pool;
}

export interface DbConfig {
  databaseUrl?: string;
  pgliteDir: string;
}

/** The migrations folder, found from the working directory (the repo root at runtime). */
export function migrationsFolder(): string {
  const folder = fromProjectRoot('drizzle');
  if (!existsSync(fromProjectRoot('drizzle', 'meta', '_journal.json'))) {
    throw new Error(`Migrations not found in ${folder}: start the app from the repository root.`);
  }
  return folder;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

async function openPglite(dir: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { drizzle } = await import('drizzle-orm/pglite');
  const { migrate } = await import('drizzle-orm/pglite/migrator');
  const client = dir === 'memory://' ? new PGlite() : new PGlite(dir);
  await client.waitReady;
  const db = drizzle({ client, schema, casing: 'snake_case' });
  await migrate(db, { migrationsFolder: migrationsFolder() });
  return {
    kind: 'pglite',
    db: db as unknown as Db,
    async listen(channel, onPayload) {
      const unsub = await client.listen(channel, onPayload);
      return async () => unsub();
    },
    async notify(channel, payload) {
      await client.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      await client.close();
    },
  };
}

async function openPostgres(url: string): Promise<DbHandle> {
  const pg = (await import('pg')).default;
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client the server drops (restart, failover, admin termination) emits 'error' on
  // the pool; unhandled, that would crash the process. The pool replaces the client itself.
  pool.on('error', (err) => {
    console.error(`[lora-studio] idle Postgres connection lost: ${err.message}`);
  });
  const db = drizzle({ client: pool, schema, casing: 'snake_case' });
  // Several replicas may start at once: one migrates, the others wait on the lock.
  const lockClient = await pool.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock(727274)');
    await migrate(db, { migrationsFolder: migrationsFolder() });
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock(727274)').catch(() => undefined);
    lockClient.release();
  }
  // One LISTEN connection per process. If the server drops it, it reconnects with backoff and
  // re-subscribes every channel, so live delivery (SSE across replicas) survives a restart.
  let listener: import('pg').Client | null = null;
  let connecting: Promise<import('pg').Client> | null = null;
  let closed = false;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const connect = (): Promise<import('pg').Client> =>
    (connecting ??= (async () => {
      const client = new pg.Client({ connectionString: url });
      client.on('notification', (msg) => {
        for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
      });
      client.on('error', (err) => {
        if (listener !== client) return; // already handled, or failed while connecting (connect() rejects)
        console.error(`[lora-studio] LISTEN connection lost: ${err.message}; reconnecting`);
        listener = null;
        void reconnect(1);
      });
      await client.connect();
      for (const channel of handlers.keys()) await client.query(`LISTEN ${quoteIdent(channel)}`);
      listener = client;
      return client;
    })().finally(() => {
      connecting = null;
    }));
  const reconnect = async (attempt: number): Promise<void> => {
    if (closed || listener || handlers.size === 0) return;
    await new Promise((r) => setTimeout(r, Math.min(30_000, 500 * 2 ** attempt)));
    await connect().catch(() => reconnect(attempt + 1));
  };
  return {
    kind: 'postgres',
    db: db as unknown as Db,
    pool,
    async listen(channel, onPayload) {
      let set = handlers.get(channel);
      const fresh = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onPayload);
      // A fresh connection LISTENs to every known channel itself; an existing one needs this one.
      if (listener && fresh) await listener.query(`LISTEN ${quoteIdent(channel)}`);
      else if (!listener) await connect();
      return async () => {
        set.delete(onPayload);
        if (set.size === 0) {
          handlers.delete(channel);
          await listener?.query(`UNLISTEN ${quoteIdent(channel)}`).catch(() => undefined);
        }
      };
    },
    async notify(channel, payload) {
      await pool.query('SELECT pg_notify($1, $2)', [channel, payload]);
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
      await pool.end();
    },
  };
}

/** Open a database and run migrations. Most code uses `getDbHandle()` instead. */
export async function openDatabase(config: DbConfig): Promise<DbHandle> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.pgliteDir);
}

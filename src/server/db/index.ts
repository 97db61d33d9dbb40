import { env } from '@/env';
import { openDatabase, type DbHandle } from './client.ts';
import { seedCatalog } from './seed.ts';

export type { Db, DbOrTx, Tx } from './types.ts';
export type { DbHandle } from './client.ts';
export * as tables from './schema/index.ts';

const KEY = Symbol.for('lora-studio.db');
type G = typeof globalThis & { [KEY]?: Promise<DbHandle> };

/** The process-wide database, opened, migrated and seeded on first use. */
export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as G;
  if (!g[KEY]) {
    const e = env();
    g[KEY] = (async () => {
      const handle = await openDatabase({ databaseUrl: e.DATABASE_URL, pgliteDir: e.PGLITE_DIR });
      await seedCatalog(handle.db, { proJobsPerMonth: e.PLAN_PRO_OVERRIDE });
      return handle;
    })();
    g[KEY].catch(() => {
      delete g[KEY];
    });
  }
  return g[KEY];
}

export async function getDb() {
  return (await getDbHandle()).db;
}

/** Close the process-wide database (tests, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const g = globalThis as G;
  const p = g[KEY];
  delete g[KEY];
  if (p) await (await p).close();
}

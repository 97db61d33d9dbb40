import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { getDbHandle } from '@/server/db';
import { getStorage } from '@/server/storage';

export const HealthReport = z.object({
  status: z.enum(['ok', 'degraded']),
  db: z.object({ ok: z.boolean(), kind: z.string().optional(), latency_ms: z.number().optional(), error: z.string().optional() }),
  storage: z.object({ ok: z.boolean(), provider: z.string().optional(), detail: z.string().optional() }),
  version: z.string(),
});
export type HealthReport = z.infer<typeof HealthReport>;

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await fn();
  return [r, Math.round((performance.now() - t) * 10) / 10];
}

/** Database and storage, each really exercised (a query; a storage round trip). */
export async function checkHealth(): Promise<HealthReport> {
  let db: HealthReport['db'];
  try {
    const handle = await getDbHandle();
    const [, ms] = await timed(() => handle.db.execute(sql`select 1`));
    db = { ok: true, kind: handle.kind, latency_ms: ms };
  } catch (e) {
    db = { ok: false, error: (e as Error).message };
  }
  let storage: HealthReport['storage'];
  try {
    const s = getStorage();
    const r = await s.driver.healthCheck();
    storage = { ok: r.ok, provider: s.provider, detail: r.detail };
  } catch (e) {
    storage = { ok: false, detail: (e as Error).message };
  }
  return { status: db.ok && storage.ok ? 'ok' : 'degraded', db, storage, version: '0.1.0' };
}

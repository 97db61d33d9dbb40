import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDbHandle } from '@/server/db';

const waitFor = async (cond: () => boolean, ms = 15_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('LISTEN/NOTIFY (the path SSE uses across replicas)', () => {
  it('delivers notifications, stops after unsubscribe, and survives the server dropping the connection', async () => {
    const handle = await getDbHandle();
    const got: string[] = [];
    const off = await handle.listen('test_channel', (p) => got.push(p));
    await handle.notify('test_channel', 'one');
    await waitFor(() => got.includes('one'));

    if (handle.kind === 'postgres') {
      // What a Postgres restart or failover does to the LISTEN connection.
      await handle.db.execute(sql`select pg_terminate_backend(pid) from pg_stat_activity where query ilike 'LISTEN%' and datname = current_database()`);
      // Delivery resumes once the connection is re-established and re-subscribed.
      await waitFor(() => {
        void handle.notify('test_channel', 'two');
        return got.includes('two');
      });
    } else {
      await handle.notify('test_channel', 'two');
      await waitFor(() => got.includes('two'));
    }

    await off();
    const before = got.length;
    await handle.notify('test_channel', 'three');
    await new Promise((r) => setTimeout(r, 300));
    expect(got.length).toBe(before);
  });
});

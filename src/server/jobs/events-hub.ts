// One LISTEN per app process on the job-events channel, fanned out in memory to every SSE
// stream of that process. The hub reads each announced row ONCE and hands it to all of the
// job's subscribers, so 1,000 viewers of a job cost one query per event, not 1,000.
// Replicas each have their own hub; Postgres NOTIFY reaches all of them.
import { eq } from 'drizzle-orm';
import { getDbHandle, type DbHandle } from '@/server/db';
import { jobEvents, type JobEvent } from '@/server/db/schema/index.ts';
import { logger } from '@/server/http/logger';
import { JOB_EVENTS_CHANNEL } from './events.ts';

type Listener = (row: JobEvent) => void;

class JobEventsHub {
  private readonly listeners = new Map<string, Set<Listener>>();
  private listening: Promise<void> | null = null;
  private handle: DbHandle | null = null;

  private ensure(): Promise<void> {
    this.listening ??= (async () => {
      const handle = await getDbHandle();
      this.handle = handle;
      await handle.listen(JOB_EVENTS_CHANNEL, (payload) => void this.deliver(payload));
    })().catch((err: unknown) => {
      this.listening = null;
      throw err;
    });
    return this.listening;
  }

  private async deliver(payload: string): Promise<void> {
    const sep = payload.lastIndexOf(':');
    const jobId = payload.slice(0, sep);
    const id = Number(payload.slice(sep + 1));
    const set = this.listeners.get(jobId);
    if (!set || set.size === 0 || !this.handle || !Number.isSafeInteger(id)) return;
    try {
      const [row] = await this.handle.db.select().from(jobEvents).where(eq(jobEvents.id, id));
      if (row) for (const fn of [...set]) fn(row);
    } catch (err) {
      // Subscribers catch up from the table on their next heartbeat; nothing is lost.
      logger().warn({ err, jobId, id }, 'job event fan-out failed');
    }
  }

  async subscribe(jobId: string, fn: Listener): Promise<() => void> {
    await this.ensure();
    let set = this.listeners.get(jobId);
    if (!set) this.listeners.set(jobId, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(jobId);
    };
  }

  subscriberCount(jobId?: string): number {
    if (jobId) return this.listeners.get(jobId)?.size ?? 0;
    let n = 0;
    for (const s of this.listeners.values()) n += s.size;
    return n;
  }
}

const KEY = Symbol.for('lora-studio.job-events-hub');
type G = typeof globalThis & { [KEY]?: JobEventsHub };

export function jobEventsHub(): JobEventsHub {
  const g = globalThis as G;
  return (g[KEY] ??= new JobEventsHub());
}

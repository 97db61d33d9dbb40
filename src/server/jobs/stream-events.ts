// GET /api/lora/jobs/:id/events as an async generator (STYLE.md §9). The first item is
// produced only after the caller's access to the job was checked, so the route can pull it
// BEFORE opening the stream and still answer a real 404. Then: the stored events after
// Last-Event-ID, then live ones (NOTIFY via the hub), heartbeats while idle, and the end
// after a terminal status. Subscribing happens before the replay query, and every row is
// yielded at most once (ids only grow), so nothing falls into the gap between the two.
import { isTerminal, type JobStatus } from '@lora-studio/protocol';
import { and, asc, eq, gt } from 'drizzle-orm';
import { jobEvents, loraJobs, type JobEvent } from '@/server/db/schema/index.ts';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { jobEventsHub } from './events-hub.ts';
import { getJobOrThrow, toJobView } from './internal.ts';
import type { JobView } from './schemas.ts';

export type StreamItem = { kind: 'open'; job: JobView } | { kind: 'event'; event: JobEvent } | { kind: 'heartbeat' };

const endsStream = (e: JobEvent) => e.type === 'status' && typeof e.payload.status === 'string' && isTerminal(e.payload.status as JobStatus);

async function eventsAfter(ctx: ServiceContext, jobId: string, after: number): Promise<JobEvent[]> {
  return ctx.db.select().from(jobEvents).where(and(eq(jobEvents.jobId, jobId), gt(jobEvents.id, after))).orderBy(asc(jobEvents.id)).limit(1000);
}

export async function* streamJobEvents(p: { ctx: ServiceContext; jobId: string; lastEventId?: number; heartbeatMs?: number; signal?: AbortSignal }): AsyncGenerator<StreamItem> {
  const jv = await getJobOrThrow(p.ctx.db, requireWorkspace(p.ctx), p.jobId);
  const pending: JobEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = await jobEventsHub().subscribe(p.jobId, (row) => {
    pending.push(row);
    wake?.();
  });
  const onAbort = () => wake?.();
  p.signal?.addEventListener('abort', onAbort);
  try {
    yield { kind: 'open', job: toJobView(jv) };
    let last = p.lastEventId ?? 0;
    // Replay in pages; a terminal job whose history is fully replayed ends the stream.
    for (let page = await eventsAfter(p.ctx, p.jobId, last); page.length > 0; page = await eventsAfter(p.ctx, p.jobId, last)) {
      for (const e of page) {
        yield { kind: 'event', event: e };
        last = e.id;
      }
    }
    const [now] = await p.ctx.db.select({ status: loraJobs.status }).from(loraJobs).where(eq(loraJobs.id, p.jobId));
    // Finished and fully replayed: nothing more will come (a retry would need a new stream).
    if (isTerminal(now?.status ?? jv.job.status) && pending.every((e) => e.id <= last)) return;
    while (!p.signal?.aborted) {
      pending.sort((a, b) => a.id - b.id);
      while (pending.length > 0) {
        const e = pending.shift()!;
        if (e.id <= last) continue;
        yield { kind: 'event', event: e };
        last = e.id;
        if (endsStream(e)) return;
      }
      const timedOut = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), p.heartbeatMs ?? 15_000);
        wake = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
      wake = null;
      if (p.signal?.aborted) return;
      if (timedOut) {
        // A lost notification (listener reconnect) is healed here from the table.
        pending.push(...(await eventsAfter(p.ctx, p.jobId, last)));
        if (pending.length === 0) yield { kind: 'heartbeat' };
      }
    }
  } finally {
    p.signal?.removeEventListener('abort', onAbort);
    unsubscribe();
  }
}

import { describe, expect, it } from 'vitest';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import * as eventsRoute from '@/app/api/lora/jobs/[id]/events/route';
import { getDb, tables } from '@/server/db';
import { eq } from 'drizzle-orm';
import { streamJobEvents } from '@/server/jobs/stream-events';
import { systemContext } from '@/server/scheduler/context';
import { APP, call } from '../helpers/http.ts';
import { jobBody, lease, postJob, sendEvent, trainer, workerToken, type Trainer } from './fixtures.ts';

interface Frame {
  id?: string;
  event?: string;
  data?: any;
  comment?: string;
}

/** Opens the SSE route in-process and reads frames until `until` says stop (or the stream ends). */
async function openStream(t: Trainer, id: string, headers: Record<string, string> = {}) {
  const controller = new AbortController();
  const res = await eventsRoute.GET(new Request(`${APP}/api/lora/jobs/${id}/events`, { headers: { cookie: t.cookie, ...headers }, signal: controller.signal }), {
    params: Promise.resolve({ id }),
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const frames: Frame[] = [];
  let ended = false;
  async function readUntil(until: (f: Frame[]) => boolean): Promise<Frame[]> {
    while (!until(frames) && !ended) {
      const { value, done } = await reader.read();
      if (done) {
        ended = true;
        break;
      }
      buffer += decoder.decode(value, { stream: true });
      let cut: number;
      while ((cut = buffer.indexOf('\n\n')) !== -1) {
        const raw = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const f: Frame = {};
        for (const line of raw.split('\n')) {
          if (line.startsWith(':')) f.comment = line.slice(1).trim();
          else if (line.startsWith('id: ')) f.id = line.slice(4);
          else if (line.startsWith('event: ')) f.event = line.slice(7);
          else if (line.startsWith('data: ')) f.data = JSON.parse(line.slice(6));
        }
        frames.push(f);
      }
    }
    return frames;
  }
  return { res, readUntil, ended: () => ended, close: () => controller.abort() };
}

describe('GET /api/lora/jobs/:id/events (SSE)', () => {
  it('401 and 404 are real status codes, decided before a stream opens', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const anon = await call(eventsRoute.GET, `/api/lora/jobs/${job.body.id}/events`, { params: { id: job.body.id } });
    expect(anon.status).toBe(401);
    expect(anon.headers.get('content-type')).toMatch(/json/);
    const stranger = await trainer();
    const other = await call(eventsRoute.GET, `/api/lora/jobs/${job.body.id}/events`, { cookie: stranger.cookie, params: { id: job.body.id } });
    expect(other.status).toBe(404);
  });

  it('replays stored events, resumes after Last-Event-ID, and delivers a live event through NOTIFY', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const id = job.body.id as string;
    const token = await workerToken();
    for (let l = await lease(token); l.body?.spec?.job_id !== id; l = await lease(token)) if (l.status !== 200) throw new Error('not leased');
    await sendEvent({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } });
    await sendEvent({ type: 'job.progress', job_id: id, attempt: 1, seq: 1, data: { step: 5, total_steps: 50, stage: 'training' } });

    const full = await openStream(t, id);
    expect(full.res.status).toBe(200);
    expect(full.res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const all = (await full.readUntil((f) => f.filter((x) => x.id).length >= 5)).filter((f) => f.id);
    full.close();
    // queued, dispatched, job.started, running, progress — ids = job_events ids, increasing.
    expect(all.map((f) => f.event)).toEqual(['status', 'status', 'status', 'status', 'progress']);
    expect(all.map((f) => Number(f.id))).toEqual([...all.map((f) => Number(f.id))].sort((a, b) => a - b));

    const resumeFrom = all[2]!.id!;
    const resumed = await openStream(t, id, { 'last-event-id': resumeFrom });
    const open = await resumed.readUntil((f) => f.filter((x) => x.id).length >= 2);
    expect(open[0]).toMatchObject({ event: 'open' });
    expect(open.filter((f) => f.id).map((f) => f.id)).toEqual([all[3]!.id, all[4]!.id]);

    // Live: an event sent now reaches the open stream via pg_notify → the hub.
    await sendEvent({ type: 'job.metrics', job_id: id, attempt: 1, seq: 2, data: { step: 6, loss: 0.5 } });
    const live = (await resumed.readUntil((f) => f.some((x) => x.event === 'metrics'))).find((f) => f.event === 'metrics')!;
    expect(live.data).toMatchObject({ job_id: id, attempt: 1, seq: 2, type: 'metrics', payload: { loss: 0.5, event: 'job.metrics' } });
    expect(Number(live.id)).toBeGreaterThan(Number(all[4]!.id));
    resumed.close();
  });

  it('ends after a terminal status, live or replayed', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const id = job.body.id as string;
    const s = await openStream(t, id);
    await s.readUntil((f) => f.some((x) => x.event === 'status'));
    await call(cancelRoute.POST, `/api/lora/jobs/${id}/cancel`, { cookie: t.cookie, params: { id }, body: {} });
    const frames = await s.readUntil(() => false); // reads until the server closes
    expect(s.ended()).toBe(true);
    expect(frames.at(-1)!.data.payload).toMatchObject({ status: 'canceled' });
    const replay = await openStream(t, id);
    await replay.readUntil(() => false);
    expect(replay.ended()).toBe(true);
    const db = await getDb();
    const stored = await db.select().from(tables.jobEvents).where(eq(tables.jobEvents.jobId, id));
    expect(stored.map((e) => e.payload.status)).toEqual(['queued', 'canceled']);
  });

  it('sends heartbeats while idle, and stops when the client goes away', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t))).body.id as string;
    const ctx = { ...(await systemContext('sse-test')), workspaceId: t.workspaceId };
    const abort = new AbortController();
    const items = streamJobEvents({ ctx, jobId: id, heartbeatMs: 20, signal: abort.signal });
    expect((await items.next()).value).toMatchObject({ kind: 'open' });
    expect((await items.next()).value).toMatchObject({ kind: 'event' }); // the queued status
    expect((await items.next()).value).toEqual({ kind: 'heartbeat' });
    abort.abort();
    expect((await items.next()).done).toBe(true);
  });
});

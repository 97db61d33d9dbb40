// Server-Sent Events framing for a StreamItem generator. The first item was already pulled
// by the route (so errors became real status codes); the rest is pulled on demand, and a
// client that goes away ends the generator (its finally unsubscribes).
import type { StreamItem } from './stream-events.ts';

const encoder = new TextEncoder();

export function formatSse(item: StreamItem): string {
  switch (item.kind) {
    case 'open':
      // No id: it must not move the client's Last-Event-ID.
      return `retry: 3000\nevent: open\ndata: ${JSON.stringify({ job: item.job })}\n\n`;
    case 'heartbeat':
      return `: heartbeat ${new Date().toISOString()}\n\n`;
    case 'event': {
      const e = item.event;
      const data = { id: e.id, job_id: e.jobId, attempt: e.attempt, seq: e.seq, type: e.type, payload: e.payload, created_at: e.createdAt.toISOString() };
      return `id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(data)}\n\n`;
    }
  }
}

export function sseResponse(first: StreamItem, rest: AsyncGenerator<StreamItem>): Response {
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(formatSse(first)));
    },
    async pull(controller) {
      try {
        const next = await rest.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(formatSse(next.value)));
      } catch (err) {
        controller.error(err);
      }
    },
    async cancel() {
      await rest.return(undefined);
    },
  });
  return new Response(stream, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}

/** Last-Event-ID header (or ?last_event_id= for clients that cannot set headers). */
export function lastEventIdFrom(request: Request): number | undefined {
  const raw = request.headers.get('last-event-id') ?? new URL(request.url).searchParams.get('last_event_id');
  if (!raw || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

import { apiRoute } from '@/server/http/route';
import { lastEventIdFrom, sseResponse } from '@/server/jobs/sse';
import { streamJobEvents } from '@/server/jobs/stream-events';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// GET /api/lora/jobs/:id/events — Server-Sent Events; the first item is pulled before the
// stream opens, so 401/404 are real status codes; Last-Event-ID resumes after that event.
export const GET = apiRoute({
  auth: 'user',
  doc: { operationId: 'streamJobEvents', summary: 'Live job events (text/event-stream; Last-Event-ID resumes)', tag: 'Training', contentType: 'text/event-stream', otherResponses: { 204: 'The job has no events to send' } },
  handler: async ({ ctx, params, request }) => {
    const events = streamJobEvents({ ctx, jobId: params.id!, lastEventId: lastEventIdFrom(request), signal: request.signal });
    const first = await events.next();
    if (first.done) return new Response(null, { status: 204 });
    return sseResponse(first.value, events);
  },
});

import { HeartbeatRequest, HeartbeatResponse } from '@lora-studio/protocol';
import { apiRoute } from '@/server/http/route';
import { heartbeatJob } from '@/server/workers/heartbeat';

export const dynamic = 'force-dynamic';

// POST /api/workers/heartbeat — extend the lease of the job attempt this worker holds; { cancel } when canceled
export const POST = apiRoute({
  auth: 'worker',
  doc: { operationId: 'heartbeatJob', summary: 'Extend a lease; cancel: true when the user canceled', tag: 'Workers' },
  rateLimit: 'worker',
  input: HeartbeatRequest,
  inputLabel: 'Heartbeat',
  output: HeartbeatResponse,
  handler: ({ ctx, worker, input }) => heartbeatJob({ ctx, tokenId: worker.id, input }),
});

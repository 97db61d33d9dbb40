import { LeaseRequest, LeaseResponse } from '@lora-studio/protocol';
import { apiRoute } from '@/server/http/route';
import { leaseJob } from '@/server/workers/lease';

export const dynamic = 'force-dynamic';

// POST /api/workers/lease — a worker (Bearer worker token) asks for a job: LeaseResponse, or 204
export const POST = apiRoute({
  auth: 'worker',
  doc: { operationId: 'leaseJob', summary: 'Lease a job (worker token; 204 when none)', tag: 'Workers', otherResponses: { 204: 'No job to run now' } },
  rateLimit: 'worker',
  input: LeaseRequest,
  inputLabel: 'Lease request',
  output: LeaseResponse,
  handler: async ({ ctx, worker, input }) => (await leaseJob({ ctx, tokenId: worker.id, input })) ?? new Response(null, { status: 204 }),
});

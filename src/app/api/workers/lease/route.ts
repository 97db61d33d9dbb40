import { LeaseRequest } from '@lora-studio/protocol';
import { apiRoute, readJsonBody } from '@/server/http/route';
import { validationFromZod } from '@/server/http/errors-response';
import { leaseJob } from '@/server/workers/lease';
import { authenticateWorker } from '@/server/workers/tokens';

export const dynamic = 'force-dynamic';

// POST /api/workers/lease — a worker (Bearer worker token) asks for a job: LeaseResponse, or 204
export const POST = apiRoute({
  auth: 'public',
  rateLimit: 'worker',
  handler: async ({ ctx, request }) => {
    const token = await authenticateWorker(ctx.db, request.headers); // 401 before anything else
    const parsed = LeaseRequest.safeParse(await readJsonBody(request));
    if (!parsed.success) throw validationFromZod(parsed.error, 'Lease request');
    const wctx = { ...ctx, actor: { type: 'worker' as const, workerTokenId: token.id, workerId: parsed.data.worker_id } };
    const lease = await leaseJob({ ctx: wctx, tokenId: token.id, input: parsed.data });
    return lease ?? new Response(null, { status: 204 });
  },
});

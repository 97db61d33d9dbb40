import { HeartbeatRequest } from '@lora-studio/protocol';
import { apiRoute, readJsonBody } from '@/server/http/route';
import { validationFromZod } from '@/server/http/errors-response';
import { heartbeatJob } from '@/server/workers/heartbeat';
import { authenticateWorker } from '@/server/workers/tokens';

export const dynamic = 'force-dynamic';

// POST /api/workers/heartbeat — extend the lease of the job attempt this worker holds; { cancel } when canceled
export const POST = apiRoute({
  auth: 'public',
  rateLimit: 'worker',
  handler: async ({ ctx, request }) => {
    const token = await authenticateWorker(ctx.db, request.headers);
    const parsed = HeartbeatRequest.safeParse(await readJsonBody(request));
    if (!parsed.success) throw validationFromZod(parsed.error, 'Heartbeat');
    const wctx = { ...ctx, actor: { type: 'worker' as const, workerTokenId: token.id, workerId: parsed.data.worker_id } };
    return heartbeatJob({ ctx: wctx, tokenId: token.id, input: parsed.data });
  },
});

import { apiRoute } from '@/server/http/route';
import { cancelJob } from '@/server/jobs/cancel';
import { JobDetail } from '@/server/jobs/schemas';

// POST /api/lora/jobs/:id/cancel — cancel now (queued) or ask the worker to stop (running)
export const POST = apiRoute({ auth: 'user', doc: { operationId: 'cancelJob', summary: 'Cancel a job', tag: 'Training', errors: [409] }, output: JobDetail, rateLimit: 'api', handler: ({ ctx, params }) => cancelJob({ ctx, id: params.id! }) });

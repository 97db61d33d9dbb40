import { apiRoute } from '@/server/http/route';
import { retryJob } from '@/server/jobs/retry';
import { JobDetail } from '@/server/jobs/schemas';

// POST /api/lora/jobs/:id/retry — run a failed or canceled job again as a new attempt
export const POST = apiRoute({ auth: 'user', doc: { operationId: 'retryJob', summary: 'Retry a failed or canceled job as a new attempt', tag: 'Training', errors: [402, 409, 412] }, output: JobDetail, rateLimit: 'jobs', handler: ({ ctx, params }) => retryJob({ ctx, id: params.id! }) });

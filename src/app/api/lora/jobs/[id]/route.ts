import { apiRoute } from '@/server/http/route';
import { getJob } from '@/server/jobs/get';
import { JobDetail } from '@/server/jobs/schemas';

export const dynamic = 'force-dynamic';

// GET /api/lora/jobs/:id — a job with its version and latest progress and metrics
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getJob', summary: 'A job with its version and latest progress', tag: 'Training' }, output: JobDetail, handler: ({ ctx, params }) => getJob({ ctx, id: params.id! }) });

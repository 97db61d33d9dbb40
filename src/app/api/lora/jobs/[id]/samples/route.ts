import { apiRoute } from '@/server/http/route';
import { listJobSamples } from '@/server/jobs/samples';
import { JobSamples } from '@/server/jobs/schemas';

export const dynamic = 'force-dynamic';

// GET /api/lora/jobs/:id/samples — rendered samples by step, with short-lived signed URLs
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listJobSamples', summary: 'Rendered samples by step, with short-lived signed URLs', tag: 'Training' }, output: JobSamples, handler: ({ ctx, params }) => listJobSamples({ ctx, id: params.id! }) });

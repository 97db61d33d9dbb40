import { apiRoute } from '@/server/http/route';
import { estimateJob } from '@/server/jobs/estimate-job';
import { EstimateJobInput, TextEstimate } from '@/server/jobs/schemas';

export const dynamic = 'force-dynamic';

// POST /api/lora/jobs/estimate — cost and duration of a text LoRA run (dataset tokens or a token count; read-only)
export const POST = apiRoute({ auth: 'user', doc: { operationId: 'estimateJob', summary: 'Cost and duration estimate of a text LoRA run (preset + overrides, GPU type and count; planning figures)', tag: 'Training' }, input: EstimateJobInput, output: TextEstimate, rateLimit: 'api', handler: ({ ctx, input }) => estimateJob({ ctx, input }) });

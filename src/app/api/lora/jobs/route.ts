import { apiRoute } from '@/server/http/route';
import { json } from '@/server/http/errors-response';
import { createJob } from '@/server/jobs/create';
import { readIdempotencyKey } from '@/server/jobs/idempotency';
import { listJobs } from '@/server/jobs/list';
import { CreatedJob, CreateJobInput, JobList, ListJobsQuery } from '@/server/jobs/schemas';

export const dynamic = 'force-dynamic';

// GET /api/lora/jobs — training jobs in the workspace (filters: status, model_id; keyset pagination)
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listJobs', summary: 'List training jobs', tag: 'Training' }, input: ListJobsQuery, output: JobList, handler: ({ ctx, input }) => listJobs({ ctx, input }) });

// POST /api/lora/jobs — start training a version (consent + Idempotency-Key required); 201 new, 200 replay
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'createJob', summary: 'Start training a version (Idempotency-Key header and consent required; 200 on replay)', tag: 'Training', status: 201, responseBody: CreatedJob, otherResponses: { 200: 'Replay of the request with this Idempotency-Key' }, errors: [402, 409, 412], headers: [{ name: 'Idempotency-Key', description: 'A unique key per intended run; a replay answers 200 with the same job' }] },
  input: CreateJobInput,
  rateLimit: 'jobs',
  handler: async ({ ctx, input, request }) => {
    const result = await createJob({ ctx, input, idempotencyKey: readIdempotencyKey(request.headers) });
    return json(result.created ? 201 : 200, CreatedJob.parse({ ...result.job, idempotent_replay: !result.created }), ctx.requestId);
  },
});

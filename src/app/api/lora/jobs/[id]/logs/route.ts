import { apiRoute } from '@/server/http/route';
import { getJobLogs } from '@/server/jobs/logs';
import { LogsPage, LogsQuery } from '@/server/jobs/schemas';

export const dynamic = 'force-dynamic';

// GET /api/lora/jobs/:id/logs — log lines, oldest first, paginated by event id (?after=)
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listJobLogs', summary: 'Log lines, paginated by event id', tag: 'Training' }, input: LogsQuery, output: LogsPage, handler: ({ ctx, params, input }) => getJobLogs({ ctx, id: params.id!, input }) });

import { apiRoute } from '@/server/http/route';
import { listVersions } from '@/server/versions/list';
import { ListVersionsQuery, VersionList } from '@/server/versions/schemas';

// GET /api/lora/versions?model_id= — versions of one LoRA, newest first
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listVersions', summary: 'Versions of a LoRA, newest first', tag: 'Versions' }, input: ListVersionsQuery, output: VersionList, handler: ({ ctx, input }) => listVersions({ ctx, input }) });

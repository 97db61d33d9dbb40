import { apiRoute } from '@/server/http/route';
import { getMe, Me } from '@/server/me/get-me';

// GET /api/me — who is calling, in which workspace and plan
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getMe', summary: 'Who is calling, in which workspace and plan', tag: 'Account' }, output: Me, handler: ({ ctx }) => getMe({ ctx }) });

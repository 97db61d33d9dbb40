import { revokeApiKey } from '@/server/api-keys/revoke';
import { apiRoute } from '@/server/http/route';

// DELETE /api/api-keys/:id — revoke an API key
export const DELETE = apiRoute({ auth: 'user', doc: { operationId: 'revokeApiKey', summary: 'Revoke an API key', tag: 'Account' }, rateLimit: 'api', handler: ({ ctx, params }) => revokeApiKey({ ctx, id: params.id! }) });

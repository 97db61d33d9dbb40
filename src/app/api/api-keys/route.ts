import { createApiKey } from '@/server/api-keys/create';
import { listApiKeys } from '@/server/api-keys/list';
import { ApiKeyList, CreateApiKeyInput, CreatedApiKey } from '@/server/api-keys/schemas';
import { apiRoute } from '@/server/http/route';

// GET /api/api-keys — the caller's API keys in this workspace
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listApiKeys', summary: 'The caller\'s API keys in this workspace', tag: 'Account' }, output: ApiKeyList, handler: ({ ctx }) => listApiKeys({ ctx }) });

// POST /api/api-keys — create an API key (the secret is returned once)
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'createApiKey', summary: 'Create an API key (returned once)', tag: 'Account' },
  input: CreateApiKeyInput,
  output: CreatedApiKey,
  status: 201,
  rateLimit: 'api',
  handler: ({ ctx, input }) => createApiKey({ ctx, input }),
});

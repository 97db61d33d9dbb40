import { apiRoute } from '@/server/http/route';
import { createModel } from '@/server/models/create';
import { listModels } from '@/server/models/list';
import { CreateModelInput, ListModelsQuery, ModelList, ModelView } from '@/server/models/schemas';

// GET /api/lora/models — list LoRAs in the workspace (filters, keyset pagination)
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listModels', summary: 'List LoRAs', tag: 'LoRAs' }, input: ListModelsQuery, output: ModelList, handler: ({ ctx, input }) => listModels({ ctx, input }) });

// POST /api/lora/models — create a LoRA (trigger word generated when omitted)
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'createModel', summary: 'Create a LoRA', tag: 'LoRAs', errors: [409] },
  input: CreateModelInput,
  output: ModelView,
  status: 201,
  rateLimit: 'api',
  handler: ({ ctx, input }) => createModel({ ctx, input }),
});

import { apiRoute } from '@/server/http/route';
import { deleteModel } from '@/server/models/delete';
import { getModel } from '@/server/models/get';
import { ModelView, UpdateModelInput } from '@/server/models/schemas';
import { updateModel } from '@/server/models/update';

// GET /api/lora/models/:id — one LoRA
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getModel', summary: 'Get a LoRA', tag: 'LoRAs' }, output: ModelView, handler: ({ ctx, params }) => getModel({ ctx, id: params.id! }) });

// PATCH /api/lora/models/:id — rename, describe, change the trigger word
export const PATCH = apiRoute({
  auth: 'user',
  doc: { operationId: 'updateModel', summary: 'Update a LoRA', tag: 'LoRAs', errors: [409] },
  input: UpdateModelInput,
  output: ModelView,
  rateLimit: 'api',
  handler: ({ ctx, params, input }) => updateModel({ ctx, id: params.id!, input }),
});

// DELETE /api/lora/models/:id — soft delete, then purge its photos and artifacts from storage
export const DELETE = apiRoute({ auth: 'user', doc: { operationId: 'deleteModel', summary: 'Delete a LoRA and purge its objects', tag: 'LoRAs', errors: [409] }, rateLimit: 'api', handler: ({ ctx, params }) => deleteModel({ ctx, id: params.id! }) });

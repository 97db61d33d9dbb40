import { DatasetView } from '@/server/datasets/schemas';
import { removeDatasetItem } from '@/server/datasets/remove-item';
import { apiRoute } from '@/server/http/route';

// DELETE /api/lora/datasets/:id/items/:itemId — remove one photo; the set needs validating again
export const DELETE = apiRoute({
  auth: 'user',
  doc: { operationId: 'removeDatasetItem', summary: 'Remove one photo from a dataset', tag: 'Datasets', errors: [409] },
  output: DatasetView,
  rateLimit: 'upload',
  handler: ({ ctx, params }) => removeDatasetItem({ ctx, datasetId: params.id!, itemId: params.itemId! }),
});

import { deleteDataset } from '@/server/datasets/delete';
import { getDataset } from '@/server/datasets/get';
import { DatasetView } from '@/server/datasets/schemas';
import { apiRoute } from '@/server/http/route';

// GET /api/lora/datasets/:id — a dataset with its items (thumbnails) and quality report
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getDataset', summary: 'A dataset with its items and report', tag: 'Datasets' }, output: DatasetView, handler: ({ ctx, params }) => getDataset({ ctx, id: params.id! }) });

// DELETE /api/lora/datasets/:id — soft delete and purge its objects
export const DELETE = apiRoute({ auth: 'user', doc: { operationId: 'deleteDataset', summary: 'Delete a dataset and purge its objects', tag: 'Datasets', errors: [409] }, rateLimit: 'api', handler: ({ ctx, params }) => deleteDataset({ ctx, id: params.id! }) });

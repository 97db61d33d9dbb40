import { listDatasets } from '@/server/datasets/list';
import { DatasetList, ListDatasetsQuery } from '@/server/datasets/schemas';
import { apiRoute } from '@/server/http/route';

// GET /api/lora/datasets — image and text datasets in the workspace (filters, pagination)
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listDatasets', summary: 'List datasets', tag: 'Datasets' }, input: ListDatasetsQuery, output: DatasetList, handler: ({ ctx, input }) => listDatasets({ ctx, input }) });

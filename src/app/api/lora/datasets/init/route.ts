import { initDataset } from '@/server/datasets/init';
import { InitDatasetInput, InitDatasetResult } from '@/server/datasets/schemas';
import { apiRoute } from '@/server/http/route';

// POST /api/lora/datasets/init — announce files; get one signed upload target per file
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'initDataset', summary: 'Announce files and get signed upload targets', tag: 'Datasets', errors: [409] },
  input: InitDatasetInput,
  output: InitDatasetResult,
  status: 201,
  rateLimit: 'upload',
  handler: ({ ctx, input }) => initDataset({ ctx, input }),
});

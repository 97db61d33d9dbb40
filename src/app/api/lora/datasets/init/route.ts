import { initDataset } from '@/server/datasets/init';
import { InitDatasetInput, InitDatasetResult } from '@/server/datasets/schemas';
import { apiRoute } from '@/server/http/route';

// POST /api/lora/datasets/init — announce files; get one signed upload target per file
export const POST = apiRoute({
  auth: 'user',
  input: InitDatasetInput,
  output: InitDatasetResult,
  status: 201,
  rateLimit: 'upload',
  handler: ({ ctx, input }) => initDataset({ ctx, input }),
});

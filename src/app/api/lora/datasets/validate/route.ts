import { DatasetView, ValidateDatasetInput } from '@/server/datasets/schemas';
import { validateDataset } from '@/server/datasets/validate';
import { apiRoute } from '@/server/http/route';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/lora/datasets/validate — run the quality checks and store the report
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'validateDataset', summary: 'Validate a dataset and store its quality report', tag: 'Datasets', errors: [409] },
  input: ValidateDatasetInput,
  output: DatasetView,
  rateLimit: 'upload',
  handler: ({ ctx, input }) => validateDataset({ ctx, input }),
});

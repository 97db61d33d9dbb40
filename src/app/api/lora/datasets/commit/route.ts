import { commitDataset } from '@/server/datasets/commit';
import { CommitDatasetInput, DatasetView } from '@/server/datasets/schemas';
import { apiRoute } from '@/server/http/route';

export const runtime = 'nodejs';
export const maxDuration = 300;

// POST /api/lora/datasets/commit — re-read and check every upload, store clean copies, build the archive
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'commitDataset', summary: 'Commit uploaded files (re-read, checked, cleaned, archived)', tag: 'Datasets', errors: [409] },
  input: CommitDatasetInput,
  output: DatasetView,
  rateLimit: 'upload',
  handler: ({ ctx, input }) => commitDataset({ ctx, input }),
});

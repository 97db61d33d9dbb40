import { apiRoute } from '@/server/http/route';
import { downloadVersion } from '@/server/versions/download';
import { DownloadInput, DownloadLink } from '@/server/versions/schemas';

// POST /api/lora/versions/:id/download — a short-lived signed URL to the weights (audited)
export const POST = apiRoute({
  auth: 'user',
  input: DownloadInput,
  output: DownloadLink,
  rateLimit: 'download',
  handler: ({ ctx, params, input }) => downloadVersion({ ctx, id: params.id!, input }),
});

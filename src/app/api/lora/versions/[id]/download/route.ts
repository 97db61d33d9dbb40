import { apiRoute } from '@/server/http/route';
import { downloadVersion } from '@/server/versions/download';
import { DownloadInput, DownloadLink, DownloadQuery } from '@/server/versions/schemas';
import { serveVersionDownload } from '@/server/versions/serve-download';

// GET /api/lora/versions/:id/download?file=<name>|all — 302 to one file's signed URL, or a zip of all files (audited)
export const GET = apiRoute({
  auth: 'user',
  input: DownloadQuery,
  rateLimit: 'download',
  handler: ({ ctx, params, input }) => serveVersionDownload({ ctx, id: params.id!, input }),
});

// POST /api/lora/versions/:id/download — a short-lived signed URL to the weights (audited)
export const POST = apiRoute({
  auth: 'user',
  input: DownloadInput,
  output: DownloadLink,
  rateLimit: 'download',
  handler: ({ ctx, params, input }) => downloadVersion({ ctx, id: params.id!, input }),
});

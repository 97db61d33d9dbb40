import { apiRoute } from '@/server/http/route';
import { downloadVersion } from '@/server/versions/download';
import { DownloadInput, DownloadLink, DownloadQuery } from '@/server/versions/schemas';
import { serveVersionDownload } from '@/server/versions/serve-download';

// GET /api/lora/versions/:id/download?file=<name>|all — 302 to one file's signed URL, or a zip of all files (audited)
export const GET = apiRoute({
  auth: 'user',
  doc: { operationId: 'downloadVersion', summary: 'Download a file (302 to a signed URL) or ?file=all as a streamed zip with README.txt (audited)', tag: 'Versions', contentType: 'application/zip', otherResponses: { 302: 'Redirect to the signed URL of one file' }, errors: [409] },
  input: DownloadQuery,
  rateLimit: 'download',
  handler: ({ ctx, params, input }) => serveVersionDownload({ ctx, id: params.id!, input }),
});

// POST /api/lora/versions/:id/download — a short-lived signed URL to the weights (audited)
export const POST = apiRoute({
  auth: 'user',
  doc: { operationId: 'createDownloadLink', summary: 'Short-lived signed URL to the weights (audited)', tag: 'Versions', errors: [409] },
  input: DownloadInput,
  output: DownloadLink,
  rateLimit: 'download',
  handler: ({ ctx, params, input }) => downloadVersion({ ctx, id: params.id!, input }),
});

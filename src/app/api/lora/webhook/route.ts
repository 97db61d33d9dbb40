import { WorkerEvent } from '@lora-studio/protocol';
import { apiRoute } from '@/server/http/route';
import { ingestWorkerEvent } from '@/server/webhooks/ingest-worker';
import { WorkerEventReceipt } from '@/server/webhooks/schemas';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/lora/webhook — a signed worker event (Standard Webhooks; key chosen by lora-job-id/attempt)
export const POST = apiRoute({
  auth: 'signature',
  doc: {
    operationId: 'receiveWorkerEvent',
    summary: 'Signed worker event (Standard Webhooks, lora-job-id/lora-job-attempt headers)',
    tag: 'Workers',
    body: WorkerEvent,
    errors: [409],
    headers: [
      { name: 'lora-job-id', description: 'The job the event is for; with lora-job-attempt it selects the signing key' },
      { name: 'lora-job-attempt', description: 'The attempt the event is for' },
    ],
  },
  rateLimit: 'webhook',
  output: WorkerEventReceipt,
  handler: ({ ctx, raw, request }) => ingestWorkerEvent({ ctx, raw, headers: request.headers }),
});

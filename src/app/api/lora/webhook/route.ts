import { apiRoute } from '@/server/http/route';
import { ingestWorkerEvent } from '@/server/webhooks/ingest-worker';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/lora/webhook — a signed worker event (Standard Webhooks; key chosen by lora-job-id/attempt)
export const POST = apiRoute({ auth: 'public', handler: ({ ctx, request }) => ingestWorkerEvent({ ctx, request }) });

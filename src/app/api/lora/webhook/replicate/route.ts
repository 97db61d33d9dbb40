import { apiRoute } from '@/server/http/route';
import { ingestReplicateWebhook } from '@/server/webhooks/ingest-replicate';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/lora/webhook/replicate — Replicate training webhook, verified with REPLICATE_WEBHOOK_SECRET
export const POST = apiRoute({ auth: 'public', handler: ({ ctx, request }) => ingestReplicateWebhook({ ctx, request }) });

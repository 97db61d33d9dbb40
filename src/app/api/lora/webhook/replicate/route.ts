import { apiRoute } from '@/server/http/route';
import { ReplicateTraining } from '@/server/providers/replicate/client';
import { ingestReplicateWebhook, replicateWebhookSecret } from '@/server/webhooks/ingest-replicate';
import { ReplicateWebhookReceipt } from '@/server/webhooks/schemas';

export const dynamic = 'force-dynamic';
export const runtime = 'nodejs';

// POST /api/lora/webhook/replicate — Replicate training webhook, verified with REPLICATE_WEBHOOK_SECRET
export const POST = apiRoute({
  auth: 'signature',
  doc: {
    operationId: 'receiveReplicateWebhook',
    summary: "Replicate training webhook (signed with the account's webhook secret)",
    tag: 'Workers',
    body: ReplicateTraining,
    errors: [409, 503],
  },
  rateLimit: 'webhook',
  precheck: () => void replicateWebhookSecret(),
  output: ReplicateWebhookReceipt,
  handler: ({ ctx, raw, request }) => ingestReplicateWebhook({ ctx, raw, headers: request.headers }),
});

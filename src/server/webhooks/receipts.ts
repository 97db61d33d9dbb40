// Replay protection: every verified webhook-id is recorded per source, in the same
// transaction as the change it causes. The unique (source, webhook_id) index refuses a
// second delivery of the same message even when two replicas receive it at once.
import { webhookReceipts } from '@/server/db/schema/index.ts';
import type { DbOrTx } from '@/server/db';
import { ConflictError } from '@/server/errors';
import { newId } from '@/server/ids';

export async function recordReceipt(db: DbOrTx, p: { source: 'worker' | 'replicate'; webhookId: string; jobId: string | null }): Promise<void> {
  const rows = await db
    .insert(webhookReceipts)
    .values({ id: newId('receipt'), source: p.source, webhookId: p.webhookId.slice(0, 256), jobId: p.jobId })
    .onConflictDoNothing()
    .returning({ id: webhookReceipts.id });
  if (rows.length === 0) throw new ConflictError(`webhook-id ${p.webhookId} was already received; replays are refused.`, { reason: 'replay' });
}

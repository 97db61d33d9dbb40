// One delivery try of one signed event. The body is the exact string encodeEvent produced;
// every try signs it again with a fresh timestamp but the SAME webhook-id (see outbox.ts).
import { buildSignedHeaders, jobAttemptHeaders } from '@lora-studio/protocol';
import { retryAfterMs } from '../io/backoff.ts';

export type DeliveryResult =
  | { kind: 'delivered'; status: number }
  | { kind: 'rejected'; status: number; body: string }
  | { kind: 'retry'; reason: string; retryAfterMs: number | null };

export interface DeliveryTarget {
  url: string;
  secret: string;
  jobId: string;
  attempt: number;
  timeoutMs: number;
}

export async function deliverOnce(
  target: DeliveryTarget,
  event: { body: string; webhookId: string },
  signal: AbortSignal,
): Promise<DeliveryResult> {
  const headers = {
    'content-type': 'application/json',
    ...buildSignedHeaders({ body: event.body, secret: target.secret, id: event.webhookId }),
    ...jobAttemptHeaders(target.jobId, target.attempt),
  };
  let res: Response;
  try {
    res = await fetch(target.url, {
      method: 'POST',
      headers,
      body: event.body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(target.timeoutMs)]),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    return { kind: 'retry', reason: `${(err as Error).message}${cause ? ` (${cause})` : ''}`, retryAfterMs: null };
  }
  const body = (await res.text().catch(() => '')).slice(0, 500);
  // 409: the control plane already has this webhook-id or this (job, attempt, seq), i.e. an
  // earlier try landed even though we never saw its answer. Delivered.
  if (res.ok || res.status === 409) return { kind: 'delivered', status: res.status };
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    return { kind: 'retry', reason: `HTTP ${res.status}`, retryAfterMs: retryAfterMs(res.headers.get('retry-after'), 60_000) };
  }
  return { kind: 'rejected', status: res.status, body };
}

// Reads and authenticates a signed request: the raw body is read (capped) and its Standard
// Webhooks signature checked BEFORE anything parses it; a webhook-id seen before is a replay.
import type { IncomingMessage } from 'node:http';
import { verifyWebhook, WebhookVerificationError } from '@lora-studio/protocol';
import { HttpError } from './respond.ts';

export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > maxBytes) throw new HttpError(413, 'payload_too_large', `body larger than ${maxBytes} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, 'payload_too_large', `body larger than ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Remembers webhook-ids for twice the timestamp tolerance: a replay older than that fails
 * the timestamp check anyway, so nothing older needs remembering. Memory is bounded by the
 * rate of valid signed requests, which only the control plane can produce.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly ttlMs = 10 * 60 * 1000) {}

  /** Records the id; false when it was already recorded (a replay). */
  remember(id: string, now = Date.now()): boolean {
    this.prune(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now + this.ttlMs);
    return true;
  }

  private prune(now: number): void {
    // Map iteration follows insertion order, which is expiry order.
    for (const [id, expires] of this.seen) {
      if (expires > now) break;
      this.seen.delete(id);
    }
  }
}

export function authenticate(req: IncomingMessage, body: Buffer, secret: string, replay: ReplayGuard): void {
  let id: string;
  try {
    id = verifyWebhook({ headers: req.headers, body, secret }).id;
  } catch (err) {
    if (err instanceof WebhookVerificationError) {
      throw new HttpError(401, 'unauthorized', `webhook signature rejected: ${err.message}`);
    }
    throw err;
  }
  if (!replay.remember(id)) throw new HttpError(409, 'conflict', `webhook-id ${id} was already received (replay)`);
}

import { PayloadTooLargeError } from '@/server/errors';

export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/** The exact bytes the sender signed, capped. Nothing may parse or re-encode them first. */
export async function readRawBody(request: Request, maxBytes = MAX_WEBHOOK_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new PayloadTooLargeError(`Webhook body is larger than ${maxBytes} bytes.`);
  if (!request.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new PayloadTooLargeError(`Webhook body is larger than ${maxBytes} bytes.`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

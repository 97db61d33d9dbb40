// Reading a request body we also hand on (to Better Auth): a clone, read only up to a limit, so a
// client cannot make us buffer an unbounded body before the handler that owns it runs.
import { PayloadTooLargeError } from '@/server/errors';

/** The bytes of a clone of `request`'s body; PayloadTooLarge (413) past `maxBytes`. */
export async function readBoundedClone(request: Request, maxBytes: number, message: string): Promise<ArrayBuffer> {
  if (Number(request.headers.get('content-length') ?? '0') > maxBytes) throw new PayloadTooLargeError(message);
  const reader = request.clone().body?.getReader();
  if (!reader) return new ArrayBuffer(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      // Not awaited: a tee branch's cancel settles only once the other branch is done too.
      reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(message);
    }
    chunks.push(value);
  }
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

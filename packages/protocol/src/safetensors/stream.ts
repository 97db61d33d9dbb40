// Reading the header from the start of a stream (a storage GET body, a file read stream)
// without buffering the weights: we stop pulling as soon as 8 + N bytes are in hand.
import { SafetensorsError } from './errors.ts';
import { parseSafetensorsHeader, readSafetensorsHeaderLength, type ParseHeaderOptions, type SafetensorsHeader } from './header.ts';

/**
 * Parses the header from the first chunks of `stream` (any async iterable of bytes: a Node
 * Readable, a web ReadableStream, `fs.createReadStream`). Iteration is stopped early (the
 * iterator's `return()` runs, which destroys a Node stream) once the header is complete, so
 * the caller must not reuse the stream. Pass `fileSize` (e.g. the object's Content-Length)
 * to also check that the tensors end exactly at the end of the file; without it that check
 * is skipped and `dataOffset + dataBytes` is the size the file should have.
 */
export async function readSafetensorsHeaderFromStream(
  stream: AsyncIterable<Uint8Array>,
  opts: ParseHeaderOptions = {},
): Promise<SafetensorsHeader> {
  const chunks: Uint8Array[] = [];
  let have = 0;
  let need: number | null = null;
  for await (const chunk of stream) {
    chunks.push(chunk);
    have += chunk.length;
    if (need === null && have >= 8) need = 8 + readSafetensorsHeaderLength(concat(chunks, have), opts.maxHeaderBytes);
    if (need !== null && have >= need) break;
  }
  if (need === null || have < need) {
    throw new SafetensorsError('truncated', `stream ended after ${have} bytes, inside the header`);
  }
  const head = concat(chunks, have).subarray(0, need);
  return parseSafetensorsHeader(head, { ...opts, fileSize: opts.fileSize ?? null });
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  chunks.splice(0, chunks.length, out);
  return out;
}

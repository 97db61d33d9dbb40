// Byte sources: a Node stream / any AsyncIterable<Uint8Array>, or a web ReadableStream (an S3
// body, a fetch body). Abort is checked between chunks and releases the underlying reader.

export type ByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

function abortError(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

function isWebStream(s: ByteSource): s is ReadableStream<Uint8Array> {
  return typeof (s as ReadableStream<Uint8Array>).getReader === 'function';
}

// Chunks are handed on as Buffer views (no copy) so `indexOf('\n')` is Buffer's native search
// rather than the generic TypedArray one.
const asBuffer = (c: Uint8Array): Buffer => (Buffer.isBuffer(c) ? c : Buffer.from(c.buffer, c.byteOffset, c.byteLength));

export async function* readChunks(source: ByteSource, signal?: AbortSignal): AsyncGenerator<Buffer> {
  throwIfAborted(signal);
  if (isWebStream(source)) {
    const reader = source.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        throwIfAborted(signal);
        if (value.byteLength) yield asBuffer(value);
      }
    } finally {
      // Cancels the stream on abort/early exit; a no-op when it already ended.
      await reader.cancel().catch(() => {});
      reader.releaseLock();
    }
  }
  for await (const chunk of source) {
    throwIfAborted(signal);
    if (chunk.byteLength) yield asBuffer(chunk);
  }
}

// Bodies in, bytes out: every way a caller can hand us bytes becomes one async iterable,
// and one counter enforces the byte limit while streaming (a Content-Length can lie or be
// absent; the counter cannot).
import { PayloadTooLargeError } from '@/server/errors';
import type { PutBody } from './types.ts';

function isWebStream(body: unknown): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream | null)?.getReader === 'function';
}

/**
 * Reads a web stream without cancelling it on early exit: for an HTTP request body,
 * cancelling tears down the socket and the client would never see our 413.
 */
async function* webChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Something `for await` can read bytes from. */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export function bodyChunks(body: PutBody): ByteSource {
  if (body instanceof Uint8Array) return [body];
  if (isWebStream(body)) return webChunks(body);
  return body as AsyncIterable<Uint8Array>; // a Node Readable yields Buffers
}

export function tooLarge(maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`The body is larger than the ${maxBytes}-byte limit.`, { maxBytes });
}

/** Yields the chunks of `source`, throwing PayloadTooLargeError once more than `maxBytes` passed. */
export async function* limitBytes(source: ByteSource, maxBytes: number): AsyncGenerator<Uint8Array> {
  let seen = 0;
  for await (const chunk of source) {
    seen += chunk.byteLength;
    if (seen > maxBytes) throw tooLarge(maxBytes);
    yield chunk;
  }
}

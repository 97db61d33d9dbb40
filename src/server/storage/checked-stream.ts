// Serving what was verified, and nothing else: the bytes flow through a sha256 as they are
// streamed, and the LAST chunk is held back until the digest is known. On a mismatch the
// stream errors instead of ending, so a client never receives a complete file (or zip entry)
// that differs from the recorded checksum — it sees a failed download.
import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { IntegrityError } from '@/server/errors';

export interface Expected {
  sha256: string;
  /** Checked too when known. */
  bytes?: number | null;
}

export function checkedStream(source: Readable, expected: Expected, what: string): Readable {
  const hash = createHash('sha256');
  let held: Buffer | null = null;
  let bytes = 0;
  const out = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      hash.update(chunk);
      bytes += chunk.length;
      const release = held;
      held = chunk;
      cb(null, release ?? undefined);
    },
    flush(cb) {
      const got = hash.digest('hex');
      if (got !== expected.sha256 || (expected.bytes != null && bytes !== expected.bytes)) {
        cb(new IntegrityError(`${what} does not match its recorded checksum (sha256 ${got}, ${bytes} bytes; recorded ${expected.sha256}); it was not served.`));
        return;
      }
      cb(null, held ?? undefined);
    },
  });
  source.on('error', (e) => out.destroy(e));
  out.on('close', () => source.destroy());
  return source.pipe(out);
}

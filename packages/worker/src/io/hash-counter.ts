// A pass-through stream that hashes and counts what flows through it, and stops the flow as
// soon as more than `maxBytes` went by (so an oversized body never fills the disk).
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export class HashCounter extends Transform {
  bytes = 0;
  private readonly hash = createHash('sha256');

  constructor(
    private readonly maxBytes: number,
    private readonly onTooLarge: (seen: number) => Error,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(this.onTooLarge(this.bytes));
    this.hash.update(chunk);
    done(null, chunk);
  }

  /** Lower-case hex; call once, after the stream finished. */
  digest(): string {
    return this.hash.digest('hex');
  }
}

import { concatBytes, mib, type RecordBatch } from './batch.ts';
import { decodeUtf8, firstInvalidUtf8, isValidUtf8 } from './utf8.ts';

// JSONL splitter. Per chunk: the bytes up to the chunk's last '\n' hold only complete lines;
// they are UTF-8-checked and decoded once, then cut with String#indexOf (no per-line byte
// slicing, no string concatenation). Only the tail after the last '\n' is carried (copied, as
// a source may reuse its buffer). A line longer than maxLineBytes is never buffered whole: the
// splitter drops it and skips to the next '\n'. '\n' cannot occur inside a multi-byte UTF-8
// sequence, so complete-line regions never split a character.

const NL = 10;

export class JsonlSplitter {
  /** Physical lines completed so far (= the number of the last complete line). */
  line = 0;
  blankLines = 0;
  private carry: Uint8Array[] = [];
  private carryBytes = 0;
  private discarding = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Uint8Array, out: RecordBatch): void {
    let pos = 0;
    if (this.discarding || this.carryBytes > 0) {
      const nl = chunk.indexOf(NL);
      if (nl < 0) return this.hold(chunk);
      if (this.discarding) {
        this.line++;
        this.tooLong(out, this.line);
        this.discarding = false;
      } else {
        this.carry.push(chunk.subarray(0, nl));
        this.carryBytes += nl;
        const bytes = concatBytes(this.carry, this.carryBytes);
        this.carry = [];
        this.carryBytes = 0;
        this.line++;
        this.lineBytes(bytes, out);
      }
      pos = nl + 1;
    }
    const last = chunk.lastIndexOf(NL);
    if (last >= pos) {
      this.region(chunk.subarray(pos, last + 1), out);
      pos = last + 1;
    }
    if (pos < chunk.length) this.hold(chunk.subarray(pos));
  }

  end(out: RecordBatch): void {
    if (this.discarding) {
      this.line++;
      this.tooLong(out, this.line);
      this.discarding = false;
    } else if (this.carryBytes > 0) {
      const bytes = concatBytes(this.carry, this.carryBytes);
      this.carry = [];
      this.carryBytes = 0;
      this.line++;
      this.lineBytes(bytes, out);
    }
  }

  private hold(bytes: Uint8Array): void {
    if (this.discarding) return;
    if (this.carryBytes + bytes.length > this.maxLineBytes) {
      this.discarding = true;
      this.carry = [];
      this.carryBytes = 0;
      return;
    }
    this.carry.push(bytes.slice());
    this.carryBytes += bytes.length;
  }

  private tooLong(out: RecordBatch, line: number): void {
    out.issues.push({ line, code: 'line_too_long', message: `Line is longer than ${mib(this.maxLineBytes)}; it was skipped without being read.`, record: true });
  }

  /** A region of complete lines, each ending with '\n'. */
  private region(bytes: Uint8Array, out: RecordBatch): void {
    if (isValidUtf8(bytes)) return this.lines(decodeUtf8(bytes), out);
    // Slow path: find the bad line(s).
    let start = 0;
    while (start < bytes.length) {
      const nl = bytes.indexOf(NL, start);
      this.line++;
      this.lineBytes(bytes.subarray(start, nl), out);
      start = nl + 1;
    }
  }

  private lines(s: string, out: RecordBatch): void {
    let start = 0;
    for (;;) {
      const nl = s.indexOf('\n', start);
      if (nl < 0) return;
      this.line++;
      this.text(s.slice(start, nl), out);
      start = nl + 1;
    }
  }

  private lineBytes(bytes: Uint8Array, out: RecordBatch): void {
    if (bytes.length > this.maxLineBytes) return this.tooLong(out, this.line);
    if (!isValidUtf8(bytes)) {
      // The native check decides; the JS scan only locates the byte for the message.
      const bad = Math.max(0, firstInvalidUtf8(bytes));
      const hex = bytes[bad]!.toString(16).toUpperCase().padStart(2, '0');
      out.issues.push({ line: this.line, code: 'invalid_utf8', message: `Invalid UTF-8 (byte 0x${hex} at byte ${bad + 1} of the line); save the file as UTF-8.`, record: true });
      return;
    }
    this.text(decodeUtf8(bytes), out);
  }

  private text(t: string, out: RecordBatch): void {
    // Whitespace-only lines (including a lone '\r' of CRLF files) are blank, not records.
    if (t.length === 0 || (t.charCodeAt(0) <= 32 && t.trim() === '')) {
      this.blankLines++;
      return;
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes, so only long strings need measuring.
    if (t.length * 3 > this.maxLineBytes && Buffer.byteLength(t) > this.maxLineBytes) return this.tooLong(out, this.line);
    out.texts.push(t);
    out.lines.push(this.line);
  }
}

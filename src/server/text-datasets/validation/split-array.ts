import { concatBytes, mib, type RecordBatch } from './batch.ts';
import { decodeUtf8, firstInvalidUtf8, isValidUtf8 } from './utf8.ts';

// Streaming splitter for one top-level JSON array: finds where each element starts and ends
// (tracking strings, escapes and nesting depth byte by byte) and hands each element's text to
// JSON.parse, so memory holds one element, never the whole file. Bracket kinds are not
// matched here — a mismatched element simply fails JSON.parse later. Structural damage
// (missing comma, trailing comma, unclosed array, data after `]`) is reported and the
// splitter resynchronises at the next element.

const enum P {
  Before,
  Between,
  Element,
  After,
  Done,
}

const isWs = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

export class ArraySplitter {
  /** Current 1-based line of the scan position. */
  line = 1;
  private phase = P.Before;
  private depth = 0;
  private inString = false;
  private escape = false;
  private sawComma = false;
  private junkReported = false;
  private parts: Uint8Array[] = [];
  private partBytes = 0;
  private tooLong = false;
  private startLine = 0;
  private lastByte = -1;

  constructor(private readonly maxElementBytes: number) {}

  /** Physical lines of the input seen so far. */
  get lines(): number {
    return this.lastByte === -1 ? 0 : this.lastByte === 0x0a ? this.line - 1 : this.line;
  }

  push(c: Uint8Array, out: RecordBatch): void {
    let start = this.phase === P.Element ? 0 : -1;
    for (let i = 0; i < c.length; i++) {
      const b = c[i]!;
      switch (this.phase) {
        case P.Element:
          if (this.inString) {
            if (this.escape) this.escape = false;
            else if (b === 0x5c) this.escape = true;
            else if (b === 0x22) this.inString = false;
          } else if (b === 0x22) this.inString = true;
          else if (b === 0x7b || b === 0x5b) this.depth++;
          else if (this.depth > 0) {
            if (b === 0x7d || b === 0x5d) {
              if (--this.depth === 0) {
                this.take(c, start, i + 1);
                this.emit(out);
                this.phase = P.After;
              }
            }
          } else if (b === 0x2c || b === 0x5d || isWs(b)) {
            // end of a primitive element (number, string, literal)
            this.take(c, start, i);
            this.emit(out);
            this.phase = P.After;
            this.after(b); // the delimiter itself
          }
          break;
        case P.Before:
          if (b === 0x5b) this.phase = P.Between;
          else if (!isWs(b)) this.junk(out, 'Expected the file to start with `[`.'); // unreachable after detection
          break;
        case P.Between:
          if (isWs(b)) break;
          if (b === 0x5d) {
            if (this.sawComma) out.issues.push({ line: this.line, code: 'invalid_json_array', message: 'Trailing comma before `]`.', record: false });
            this.phase = P.Done;
          } else if (b === 0x2c) {
            out.issues.push({ line: this.line, code: 'invalid_json_array', message: 'Empty array element (two commas in a row).', record: false });
          } else {
            start = this.begin(i, b);
          }
          break;
        case P.After:
          if (!this.after(b)) {
            out.issues.push({ line: this.line, code: 'invalid_json_array', message: 'Expected `,` or `]` between array elements; reading on from here.', record: false });
            start = this.begin(i, b);
          }
          break;
        case P.Done:
          if (!isWs(b)) this.junk(out, 'Unexpected data after the closing `]`.');
          break;
      }
      if (b === 0x0a) this.line++;
    }
    if (this.phase === P.Element) this.take(c, start, c.length, true);
    if (c.length) this.lastByte = c[c.length - 1]!;
  }

  end(out: RecordBatch): void {
    if (this.phase === P.Element) {
      // A truncated element: JSON.parse will report it on its own line.
      this.emit(out);
      this.phase = P.After;
    }
    if (this.phase === P.Between || this.phase === P.After) {
      out.issues.push({ line: Math.max(1, this.lines), code: 'invalid_json_array', message: 'The JSON array is not closed with `]` (file truncated?).', record: false });
    }
  }

  /** Handles a byte in the After phase; false when it is neither whitespace, `,` nor `]`. */
  private after(b: number): boolean {
    if (isWs(b)) return true;
    if (b === 0x2c) {
      this.phase = P.Between;
      this.sawComma = true;
      return true;
    }
    if (b === 0x5d) {
      this.phase = P.Done;
      return true;
    }
    return false;
  }

  private begin(i: number, b: number): number {
    this.phase = P.Element;
    this.sawComma = false;
    this.startLine = this.line;
    this.parts = [];
    this.partBytes = 0;
    this.tooLong = false;
    this.escape = false;
    this.inString = b === 0x22;
    this.depth = b === 0x7b || b === 0x5b ? 1 : 0;
    return i;
  }

  private take(c: Uint8Array, from: number, to: number, copy = false): void {
    if (this.tooLong || to <= from) return;
    if (this.partBytes + (to - from) > this.maxElementBytes) {
      this.tooLong = true;
      this.parts = [];
      return;
    }
    this.parts.push(copy ? c.slice(from, to) : c.subarray(from, to));
    this.partBytes += to - from;
  }

  private emit(out: RecordBatch): void {
    const line = this.startLine;
    if (this.tooLong) {
      out.issues.push({ line, code: 'line_too_long', message: `Array element is longer than ${mib(this.maxElementBytes)}; it was skipped without being read.`, record: true });
      return;
    }
    const bytes = concatBytes(this.parts, this.partBytes);
    this.parts = [];
    if (!isValidUtf8(bytes)) {
      const bad = Math.max(0, firstInvalidUtf8(bytes)); // the native check decides; this locates
      out.issues.push({ line, code: 'invalid_utf8', message: `Invalid UTF-8 (byte 0x${bytes[bad]!.toString(16).toUpperCase()} at byte ${bad + 1} of the element); save the file as UTF-8.`, record: true });
      return;
    }
    out.texts.push(decodeUtf8(bytes));
    out.lines.push(line);
  }

  private junk(out: RecordBatch, message: string): void {
    if (this.junkReported) return;
    this.junkReported = true;
    out.issues.push({ line: this.line, code: 'invalid_json_array', message, record: false });
  }
}

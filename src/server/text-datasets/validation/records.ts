import { newBatch, type RecordBatch } from './batch.ts';
import { readChunks, type ByteSource } from './source.ts';
import { ArraySplitter } from './split-array.ts';
import { JsonlSplitter } from './split-jsonl.ts';

// Turns a byte source into batches of record texts. The container is decided by the first
// non-whitespace byte after an optional UTF-8 BOM: `[` → one JSON array, anything else →
// JSONL. Until that byte is seen the chunks are held (only leading whitespace can be held).

export type Container = 'jsonl' | 'json_array' | 'empty';

export class RecordReader {
  container: Container = 'empty';
  bytes = 0;
  private splitter: JsonlSplitter | ArraySplitter | null = null;
  private pending: Uint8Array[] = [];
  private atStart = true;

  constructor(private readonly maxLineBytes: number) {}

  get lines(): number {
    if (!this.splitter) return 0;
    return this.splitter instanceof JsonlSplitter ? this.splitter.line : this.splitter.lines;
  }

  get blankLines(): number {
    return this.splitter instanceof JsonlSplitter ? this.splitter.blankLines : 0;
  }

  push(chunk: Uint8Array, out: RecordBatch): void {
    this.bytes += chunk.length;
    if (this.atStart) {
      // The BOM is only looked for in the first bytes; a 1–2 byte first chunk is held.
      const head = this.pending.length ? Buffer.concat([...this.pending, chunk]) : chunk;
      if (head.length < 3 && head.every((b, i) => b === [0xef, 0xbb, 0xbf][i])) {
        this.pending = [head.slice()];
        return;
      }
      this.pending = [];
      this.atStart = false;
      chunk = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head;
    }
    if (!this.splitter) {
      const first = chunk.findIndex((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
      if (first < 0) {
        this.pending.push(chunk.slice());
        return;
      }
      this.container = chunk[first] === 0x5b ? 'json_array' : 'jsonl';
      this.splitter = this.container === 'json_array' ? new ArraySplitter(this.maxLineBytes) : new JsonlSplitter(this.maxLineBytes);
      for (const p of this.pending) this.splitter.push(p, out);
      this.pending = [];
    }
    this.splitter.push(chunk, out);
  }

  end(out: RecordBatch): void {
    if (!this.splitter) {
      // Whitespace only (or nothing): count its lines as blank.
      const s = new JsonlSplitter(this.maxLineBytes);
      for (const p of this.pending) s.push(p, out);
      s.end(out);
      this.splitter = s;
      return;
    }
    this.splitter.end(out);
  }
}

/** Batches of records, one per source chunk (plus a final one). */
export async function* readRecordBatches(source: ByteSource, reader: RecordReader, signal?: AbortSignal): AsyncGenerator<RecordBatch> {
  for await (const chunk of readChunks(source, signal)) {
    const out = newBatch();
    reader.push(chunk, out);
    yield out;
  }
  const out = newBatch();
  reader.end(out);
  yield out;
}

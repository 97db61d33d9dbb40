// The job's log: every line goes to a file (uploaded to outputs.logs at the end) and, in
// batches, to the control plane as job.log events. A batch is sent when it reaches 500
// lines or 256 KB, when the stream changes, after `batchMs`, and before any other event
// (so a log line printed before a checkpoint is never delivered after it).
import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { MAX_LAST_LINES, MAX_LINES_PER_EVENT, splitLines } from './limits.ts';

export type LogStream = 'stdout' | 'stderr' | 'worker';

const MAX_BATCH_BYTES = 256 * 1024;

export interface JobLogOptions {
  path: string;
  /** Bytes the logs slot accepts; the file stops growing (with a note) before that. */
  maxFileBytes: number;
  batchMs: number;
  send: (stream: LogStream, lines: string[]) => void;
}

export class JobLog {
  private readonly file: WriteStream;
  private fileBytes = 0;
  private fileFull = false;
  private batch: string[] = [];
  private batchBytes = 0;
  private batchStream: LogStream = 'worker';
  private timer: NodeJS.Timeout | undefined;
  private readonly tail: string[] = [];

  constructor(private readonly opts: JobLogOptions) {
    this.file = createWriteStream(opts.path, { flags: 'a' });
    // A log file that cannot be written must not take the job down; the events still flow.
    this.file.on('error', () => {
      this.fileFull = true;
    });
  }

  add(stream: LogStream, raw: readonly string[]): void {
    const lines = splitLines(raw);
    if (lines.length === 0) return;
    if (stream !== this.batchStream) this.flush();
    this.batchStream = stream;
    for (const line of lines) {
      this.toFile(stream === 'worker' ? `[worker] ${line}` : line);
      this.tail.push(line);
      if (this.tail.length > MAX_LAST_LINES) this.tail.shift();
      this.batch.push(line);
      this.batchBytes += line.length;
      if (this.batch.length >= MAX_LINES_PER_EVENT || this.batchBytes >= MAX_BATCH_BYTES) this.flush();
    }
    if (this.batch.length > 0 && !this.timer) {
      this.timer = setTimeout(() => this.flush(), this.opts.batchMs);
      this.timer.unref();
    }
  }

  /** Sends the pending batch now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batch.length === 0) return;
    const lines = this.batch;
    this.batch = [];
    this.batchBytes = 0;
    this.opts.send(this.batchStream, lines);
  }

  /** The last lines seen (any stream), for job.failed's last_lines. */
  lastLines(): string[] {
    return [...this.tail];
  }

  /** Flushes the batch and closes the file; returns its path. */
  async close(): Promise<string> {
    this.flush();
    this.file.end();
    await finished(this.file).catch(() => {});
    return this.opts.path;
  }

  private toFile(line: string): void {
    if (this.fileFull) return;
    const bytes = Buffer.byteLength(line) + 1;
    if (this.fileBytes + bytes > this.opts.maxFileBytes - 256) {
      this.fileFull = true;
      this.file.write(`[worker] log file truncated at ${this.fileBytes} bytes (the limit of its upload slot); every line was also sent as job.log events\n`);
      return;
    }
    this.fileBytes += bytes;
    this.file.write(`${line}\n`);
  }
}

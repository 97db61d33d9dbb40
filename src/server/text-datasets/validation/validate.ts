import type { RecordBatch } from './batch.ts';
import { resolveOptions, type ResolvedOptions, type ValidateOptions } from './options.ts';
import { RecordProcessor, type UsableHandler } from './process.ts';
import { readRecordBatches, RecordReader } from './records.ts';
import { buildReport } from './report.ts';
import type { TextQualityReport } from './report-schema.ts';
import type { ByteSource } from './source.ts';
import { createTokenCounter } from './tokenizers/index.ts';

// validateConversationStream: one pass over the bytes, memory bounded by one chunk + one
// record + the duplicate table. It never throws for bad content (everything is in the
// report), only for bad options, a failing source, or an abort (the signal's reason).

/** One validation pass; the normalizer runs the same pass so both agree on every record. */
export class Pass {
  private lastProgress = 0;

  private constructor(
    readonly opts: ResolvedOptions,
    readonly reader: RecordReader,
    readonly processor: RecordProcessor,
    private readonly report: () => TextQualityReport,
  ) {}

  static async create(options: ValidateOptions, usable?: UsableHandler): Promise<Pass> {
    const opts = resolveOptions(options);
    const counter = await createTokenCounter(opts.tokenizer);
    const reader = new RecordReader(opts.maxLineBytes);
    const processor = new RecordProcessor(opts, counter, usable);
    return new Pass(opts, reader, processor, () => buildReport(processor, reader, counter, opts));
  }

  batches(source: ByteSource): AsyncGenerator<RecordBatch> {
    return readRecordBatches(source, this.reader, this.opts.signal);
  }

  apply(batch: RecordBatch): void {
    const p = this.processor;
    const { texts, lines } = batch;
    for (let i = 0; i < texts.length; i++) p.process(texts[i]!, lines[i]!);
    // After the records: on a shared line the record's own error reads first (the report
    // sorts by line, stably).
    for (const issue of batch.issues) {
      p.log.addError(issue.line, '', issue.code, issue.message);
      if (issue.record) p.lost();
    }
    const { onProgress, progressEveryBytes } = this.opts;
    if (onProgress && this.reader.bytes - this.lastProgress >= progressEveryBytes) {
      this.lastProgress = this.reader.bytes;
      onProgress({ bytes: this.reader.bytes, lines: this.reader.lines });
    }
  }

  finish(): TextQualityReport {
    this.opts.onProgress?.({ bytes: this.reader.bytes, lines: this.reader.lines });
    return this.report();
  }
}

export async function validateConversationStream(source: ByteSource, options: ValidateOptions): Promise<TextQualityReport> {
  const pass = await Pass.create(options);
  for await (const batch of pass.batches(source)) pass.apply(batch);
  return pass.finish();
}

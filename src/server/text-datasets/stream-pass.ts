// ONE streaming read of the uploaded file does everything: sha256 of the raw bytes, the
// validation report, and the normalized training JSONL streamed into storage (hashed and
// counted on its way out). Memory stays at a chunk, a record, an output batch and the
// validator's duplicate table, whatever the file size (up to 10 GiB).
//
// This runs on the Node main thread: the validator awaits between chunks (storage reads,
// storage writes), so the event loop keeps turning and requests are served meanwhile.
import { createHash } from 'node:crypto';
import type { StorageDriver } from '@/server/storage';
import { normalizeConversationStream, type Progress, type TextQualityReport } from './validation/index.ts';

const OUTPUT_BATCH_CHARS = 1024 * 1024;

export interface StreamPassResult {
  report: TextQualityReport;
  raw: { sha256: string; bytes: number };
  training: { key: string; sha256: string; bytes: number };
}

export interface StreamPassOptions {
  sourceKey: string;
  trainingKey: string;
  contextLength: number;
  /** Cap on the training file; past it nothing is stored and the pass fails. */
  maxTrainingBytes: number;
  signal: AbortSignal;
  onProgress: (p: Progress) => void;
}

export async function streamPass(driver: StorageDriver, o: StreamPassOptions): Promise<StreamPassResult> {
  const stream = await driver.getStream(o.sourceKey);
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const rawHash = createHash('sha256');
  let rawBytes = 0;
  let rawDone = false;
  const pull = async (): Promise<Buffer | null> => {
    const r = await it.next();
    if (r.done) {
      rawDone = true;
      return null;
    }
    rawHash.update(r.value);
    rawBytes += r.value.byteLength;
    return r.value;
  };
  // Pulled by hand (no for-await over the stream): the validator finishing early must not
  // destroy the stream before the rest of it is hashed.
  async function* raw(): AsyncGenerator<Buffer> {
    for (let chunk = await pull(); chunk; chunk = await pull()) yield chunk;
  }

  const lines = normalizeConversationStream(raw(), { contextLength: o.contextLength, signal: o.signal, onProgress: o.onProgress, progressEveryBytes: 1024 * 1024 });
  const outHash = createHash('sha256');
  let report: TextQualityReport | null = null;
  async function* output(): AsyncGenerator<Buffer> {
    let pending = '';
    const flush = () => {
      const b = Buffer.from(pending, 'utf8');
      pending = '';
      outHash.update(b);
      return b;
    };
    for (let r = await lines.next(); ; r = await lines.next()) {
      if (r.done) {
        report = r.value;
        break;
      }
      pending += r.value;
      if (pending.length >= OUTPUT_BATCH_CHARS) yield flush();
    }
    if (pending) yield flush();
  }

  try {
    const put = await driver.putStream(o.trainingKey, output(), { contentType: 'application/jsonl', maxBytes: o.maxTrainingBytes });
    if (!report) throw new Error('the validator ended without a report');
    while (!rawDone) {
      o.signal.throwIfAborted();
      await pull();
    }
    return { report, raw: { sha256: rawHash.digest('hex'), bytes: rawBytes }, training: { key: o.trainingKey, sha256: outHash.digest('hex'), bytes: put.bytes } };
  } finally {
    await lines.return(undefined as never).catch(() => undefined);
    stream.destroy();
  }
}

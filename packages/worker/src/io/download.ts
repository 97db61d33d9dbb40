// Streams the dataset archive to disk, never keeping it in memory, and checks it against the
// spec: exactly `bytes` long (enforced while streaming) and the same sha256. A corrupted or
// swapped file is a permanent failure; a dropped connection or a 5xx is retried.
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DatasetRef } from '@lora-studio/protocol';
import { isTransientStatus, JobFailure, TransientError } from '../runner/failure.ts';
import { HashCounter } from './hash-counter.ts';
import type { Logger } from './logger.ts';
import { asTransient, withTransferRetries, type RetryOptions } from './retry.ts';

export interface DownloadInput {
  dataset: Pick<DatasetRef, 'url' | 'bytes' | 'sha256'>;
  dest: string;
  signal: AbortSignal;
  log: Logger;
  retry?: RetryOptions;
}

export async function downloadDataset(input: DownloadInput): Promise<void> {
  await withTransferRetries('dataset download', () => downloadOnce(input), input);
}

async function downloadOnce({ dataset, dest, signal }: DownloadInput): Promise<void> {
  let res: Response;
  try {
    res = await fetch(dataset.url, { signal });
  } catch (err) {
    throw asTransient(err, 'dataset download', signal);
  }
  if (!res.ok || !res.body) {
    await res.body?.cancel().catch(() => {});
    const msg = `dataset download answered HTTP ${res.status}`;
    // A refused presigned URL (expired, revoked) gets a fresh one on the next attempt.
    if (isTransientStatus(res.status)) throw new TransientError(msg);
    throw new JobFailure('dataset_download_failed', `${msg}; the dataset URL was not accepted`, true);
  }
  const counter = new HashCounter(dataset.bytes, (seen) => sizeMismatch(dataset.bytes, `more than ${seen - 1}`));
  try {
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), counter, createWriteStream(dest), {
      signal,
    });
  } catch (err) {
    await rm(dest, { force: true });
    throw asTransient(err, 'dataset download', signal);
  }
  if (counter.bytes !== dataset.bytes) {
    const declared = res.headers.get('content-length');
    // The server said it sent this much and we got less: the connection broke, try again.
    if (declared !== null && Number(declared) !== counter.bytes) {
      throw new TransientError(`dataset download ended after ${counter.bytes} of ${declared} bytes`);
    }
    throw sizeMismatch(dataset.bytes, String(counter.bytes));
  }
  const actual = counter.digest();
  if (actual !== dataset.sha256) {
    throw new JobFailure(
      'dataset_checksum_mismatch',
      `dataset checksum mismatch: expected sha256 ${dataset.sha256}, downloaded file has sha256 ${actual} ` +
        `(${counter.bytes} bytes). The file at the dataset URL is not the dataset this job was created with.`,
    );
  }
}

function sizeMismatch(expected: number, got: string): JobFailure {
  return new JobFailure(
    'dataset_checksum_mismatch',
    `dataset size mismatch: expected ${expected} bytes, the download has ${got} bytes, ` +
      `so it cannot match the expected sha256. The file at the dataset URL is not the dataset this job was created with.`,
  );
}

// PUTs a file to a presigned slot exactly as the slot was signed: its method, its
// Content-Type, a Content-Length (object stores refuse chunked PUTs on presigned URLs), and
// never more than its max_bytes. The sha256 and size are computed from the bytes actually
// sent, in the same pass, so what we report is what the store received.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import type { ReportedObject, UploadSlot } from '@lora-studio/protocol';
import { isTransientStatus, JobFailure, TransientError } from '../runner/failure.ts';
import { HashCounter } from './hash-counter.ts';
import type { Logger } from './logger.ts';
import { asTransient, withTransferRetries, type RetryOptions } from './retry.ts';

export interface UploadInput {
  path: string;
  slot: UploadSlot;
  /** What is being uploaded, for messages: "artifact", "checkpoint step 100"… */
  what: string;
  signal: AbortSignal;
  log: Logger;
  retry?: RetryOptions;
  /** Per-try inactivity timeout, ms. */
  timeoutMs?: number;
}

export async function uploadFile(input: UploadInput): Promise<ReportedObject> {
  const size = (await stat(input.path)).size;
  if (size > input.slot.max_bytes) {
    throw new JobFailure(
      'output_too_large',
      `${input.what} is ${size} bytes, more than the ${input.slot.max_bytes} bytes its upload slot accepts`,
    );
  }
  return withTransferRetries(`upload of ${input.what}`, () => putOnce(input, size), input);
}

async function putOnce(input: UploadInput, size: number): Promise<ReportedObject> {
  const { slot, signal, what } = input;
  const url = new URL(slot.url);
  const client = url.protocol === 'https:' ? https : http;
  const req = client.request(url, {
    method: slot.method,
    headers: { 'content-type': slot.content_type, 'content-length': String(size) },
    signal,
  });
  req.setTimeout(input.timeoutMs ?? 120_000, () => req.destroy(new TransientError(`upload of ${what} timed out`)));
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  // The file may not shrink or grow while we send it: the Content-Length is already out.
  const counter = new HashCounter(size, () => new TransientError(`${what} changed on disk during upload`));
  const sent = pipeline(createReadStream(input.path), counter, req);
  sent.catch(() => {}); // its failure surfaces through `response` (the request errors too)

  let res: IncomingMessage;
  try {
    res = await response;
  } catch (err) {
    throw asTransient(err, `upload of ${what}`, signal);
  }
  const body = await readSnippet(res);
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) {
    const msg = `upload of ${what} to ${slot.key} answered HTTP ${status}${body ? `: ${body}` : ''}`;
    if (isTransientStatus(status)) throw new TransientError(msg);
    // An expired or refused URL is fixed by a new attempt with fresh URLs; a too-large body is not.
    throw new JobFailure('upload_failed', msg, status !== 413);
  }
  try {
    await sent;
  } catch (err) {
    throw asTransient(err, `upload of ${what}`, signal);
  }
  if (counter.bytes !== size) throw new TransientError(`${what} changed on disk during upload`);
  return { key: slot.key, sha256: counter.digest(), bytes: counter.bytes };
}

/** The first 500 characters of a response body, for error messages; the rest is discarded. */
async function readSnippet(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    if (text.length < 500) text += String(chunk);
  }
  return text.slice(0, 500).trim();
}

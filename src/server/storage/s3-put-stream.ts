// Server-side streaming upload to S3 with a hard byte limit. S3 needs a known length per
// request, so the stream is cut into parts: a body that fits in one part is one PutObject;
// a longer one becomes a multipart upload that is aborted (nothing stored) when the limit
// is crossed or anything fails. Memory use is one part.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { limitBytes, type ByteSource } from './body.ts';
import { MAX_PART_BYTES, MAX_PARTS, partSizeFor } from './multipart.ts';
import type { PutOptions, PutResult } from './types.ts';

/** Re-chunks a byte stream into `size`-byte buffers (the last may be shorter). */
async function* fixedChunks(source: ByteSource, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  for await (const chunk of source) {
    pending.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    pendingBytes += chunk.byteLength;
    while (pendingBytes >= size) {
      const all = Buffer.concat(pending, pendingBytes);
      yield Buffer.from(all.subarray(0, size)); // a copy: the caller may hold it while we go on
      pending = [all.subarray(size)];
      pendingBytes -= size;
    }
  }
  if (pendingBytes > 0 || pending.length === 0) yield Buffer.concat(pending, pendingBytes);
}

export async function putStreamToS3(client: S3Client, bucket: string, key: string, source: ByteSource, options: PutOptions): Promise<PutResult> {
  const partSize = partSizeFor(Math.min(Math.max(options.maxBytes, 1), MAX_PARTS * MAX_PART_BYTES));
  const chunks = fixedChunks(limitBytes(source, options.maxBytes), partSize)[Symbol.asyncIterator]();

  const first = await chunks.next();
  const firstBuf = first.done ? Buffer.alloc(0) : first.value;
  const second = first.done ? first : await chunks.next();
  if (second.done) {
    const out = await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: firstBuf, ContentLength: firstBuf.length, ContentType: options.contentType }));
    return { bytes: firstBuf.length, etag: out.ETag ?? '' };
  }

  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: options.contentType }));
  if (!UploadId) throw new Error('storage: the bucket returned no upload id');
  const parts: { PartNumber: number; ETag: string }[] = [];
  let bytes = 0;
  try {
    const upload = async (body: Buffer) => {
      const PartNumber = parts.length + 1;
      const out = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber, Body: body, ContentLength: body.length }));
      parts.push({ PartNumber, ETag: out.ETag ?? '' });
      bytes += body.length;
    };
    await upload(firstBuf);
    await upload(second.value);
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) await upload(next.value);
    const out = await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
    return { bytes, etag: out.ETag ?? '' };
  } catch (e) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId })).catch(() => undefined);
    throw e;
  }
}

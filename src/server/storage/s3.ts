// The S3 driver: AWS S3, Cloudflare R2, MinIO. Uploads go straight from the browser or
// worker to the bucket on presigned URLs that sign the Content-Type and the exact
// Content-Length, so the bucket itself refuses a different type or size.
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Readable } from 'node:stream';
import { BadRequestError, NotFoundError, PayloadTooLargeError, ValidationError } from '@/server/errors';
import { bodyChunks, limitBytes } from './body.ts';
import { assertUploadableKey, assertValidKey, assertValidPrefix } from './key-rules.ts';
import { assertByteLimit, assertContentType, assertExpiry, assertPartByteLimit, attachmentDisposition, DEFAULT_GET_BYTES_CAP } from './limits.ts';
import { assertPartNumber, bareEtag, MIN_PART_BYTES } from './multipart.ts';
import { deleteAllUnder, s3ErrorName } from './s3-delete.ts';
import { putStreamToS3 } from './s3-put-stream.ts';
import type * as T from './types.ts';

export interface S3DriverConfig {
  provider?: 's3' | 'r2';
  bucket: string;
  region: string;
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}

/**
 * Headers that must be part of the signature so the bucket enforces them. Parts sign
 * only the length: the SDK would otherwise sign a default Content-Type the browser does
 * not send for a Blob slice.
 */
const SIGNED_UPLOAD_HEADERS = new Set(['content-type', 'content-length']);
const SIGNED_TYPE_ONLY = new Set(['content-type']);
const SIGNED_PART_HEADERS = new Set(['content-length']);

const MAX_COPY_BYTES = 5 * 1024 ** 3;

const isNotFound = (e: unknown) => ['NotFound', 'NoSuchKey', 'NoSuchUpload'].includes(s3ErrorName(e)) || (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404;

export class S3StorageDriver implements T.StorageDriver {
  readonly provider: 's3' | 'r2';
  readonly client: S3Client;
  readonly bucket: string;

  constructor(config: S3DriverConfig) {
    this.provider = config.provider ?? 's3';
    this.bucket = config.bucket;
    this.client = new S3Client({
      region: config.region,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      forcePathStyle: config.forcePathStyle,
      credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      // R2 and MinIO reject or mishandle the SDK's default CRC32 trailers on presigned and
      // streamed requests; checksums only where the API requires them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async presignPut(input: T.PresignPutInput): Promise<T.PresignedPut> {
    assertUploadableKey(input.key);
    assertContentType(input.contentType);
    assertByteLimit(input.maxBytes);
    assertExpiry(input.expiresInSeconds);
    const exact = input.exactSize !== false;
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: input.key, ContentType: input.contentType, ...(exact ? { ContentLength: input.maxBytes } : {}) });
    const url = await getSignedUrl(this.client, command, { expiresIn: input.expiresInSeconds, signableHeaders: exact ? SIGNED_UPLOAD_HEADERS : SIGNED_TYPE_ONLY });
    return { url, method: 'PUT', headers: { 'content-type': input.contentType }, expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000) };
  }

  async presignGet(input: T.PresignGetInput): Promise<T.PresignedGet> {
    assertValidKey(input.key);
    assertExpiry(input.expiresInSeconds);
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: input.key,
      ...(input.downloadName ? { ResponseContentDisposition: attachmentDisposition(input.downloadName) } : {}),
    });
    const url = await getSignedUrl(this.client, command, { expiresIn: input.expiresInSeconds });
    return { url, expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000) };
  }

  async createMultipart(input: T.CreateMultipartInput): Promise<{ uploadId: string }> {
    assertUploadableKey(input.key);
    assertContentType(input.contentType);
    const out = await this.client.send(new CreateMultipartUploadCommand({ Bucket: this.bucket, Key: input.key, ContentType: input.contentType }));
    if (!out.UploadId) throw new Error('storage: the bucket returned no upload id');
    return { uploadId: out.UploadId };
  }

  async presignPart(input: T.PresignPartInput): Promise<T.PresignedPut> {
    assertUploadableKey(input.key);
    assertPartNumber(input.partNumber);
    assertPartByteLimit(input.maxBytes);
    assertExpiry(input.expiresInSeconds);
    const command = new UploadPartCommand({ Bucket: this.bucket, Key: input.key, UploadId: input.uploadId, PartNumber: input.partNumber, ContentLength: input.maxBytes });
    const url = await getSignedUrl(this.client, command, { expiresIn: input.expiresInSeconds, signableHeaders: SIGNED_PART_HEADERS });
    return { url, method: 'PUT', headers: {}, expiresAt: new Date(Date.now() + input.expiresInSeconds * 1000) };
  }

  async completeMultipart(input: T.CompleteMultipartInput): Promise<{ etag: string }> {
    assertValidKey(input.key);
    if (input.parts.length === 0) throw new ValidationError('A multipart upload needs at least one part.');
    input.parts.forEach((p, i) => {
      assertPartNumber(p.partNumber);
      if (i > 0 && p.partNumber <= input.parts[i - 1]!.partNumber) throw new ValidationError('Parts must be listed in ascending part-number order, once each.');
    });
    const Parts = input.parts.map((p) => ({ PartNumber: p.partNumber, ETag: `"${bareEtag(p.etag)}"` }));
    try {
      const out = await this.client.send(new CompleteMultipartUploadCommand({ Bucket: this.bucket, Key: input.key, UploadId: input.uploadId, MultipartUpload: { Parts } }));
      return { etag: out.ETag ?? '' };
    } catch (e) {
      if (isNotFound(e)) throw new NotFoundError('Multipart upload');
      if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall'].includes(s3ErrorName(e))) {
        throw new ValidationError(`The parts do not form a valid upload (${s3ErrorName(e)}; every part but the last must be at least ${MIN_PART_BYTES} bytes).`);
      }
      throw e;
    }
  }

  async abortMultipart(input: { key: string; uploadId: string }): Promise<void> {
    assertValidKey(input.key);
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: input.key, UploadId: input.uploadId }));
    } catch (e) {
      if (!isNotFound(e)) throw e; // already aborted or completed: the goal is met
    }
  }

  async head(key: string): Promise<T.ObjectHead | null> {
    assertValidKey(key);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        bytes: out.ContentLength ?? 0,
        contentType: out.ContentType ?? 'application/octet-stream',
        etag: out.ETag ?? '',
        lastModified: out.LastModified ?? new Date(0),
      };
    } catch (e) {
      if (isNotFound(e)) return null;
      throw e;
    }
  }

  async getStream(key: string, range?: T.ByteRange): Promise<Readable> {
    assertValidKey(key);
    if (range && (!Number.isSafeInteger(range.start) || range.start < 0 || (range.end !== undefined && range.end < range.start))) {
      throw new BadRequestError('The requested range is not satisfiable.');
    }
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end ?? ''}` } : {}) }),
      );
      return out.Body as Readable; // in Node the SDK's body is an http.IncomingMessage
    } catch (e) {
      if (isNotFound(e)) throw new NotFoundError('Object');
      if (s3ErrorName(e) === 'InvalidRange') throw new BadRequestError('The requested range is not satisfiable.');
      throw e;
    }
  }

  async getBytes(key: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const cap = options.maxBytes ?? DEFAULT_GET_BYTES_CAP;
    const body = await this.getStream(key);
    const chunks: Buffer[] = [];
    try {
      for await (const chunk of limitBytes(body, cap)) chunks.push(Buffer.from(chunk));
    } catch (e) {
      body.destroy();
      if (e instanceof PayloadTooLargeError) throw new PayloadTooLargeError(`The object is larger than the ${cap}-byte read limit.`, { maxBytes: cap });
      throw e;
    }
    return Buffer.concat(chunks);
  }

  async putStream(key: string, body: T.PutBody, options: T.PutOptions): Promise<T.PutResult> {
    assertValidKey(key);
    assertContentType(options.contentType);
    assertByteLimit(options.maxBytes, Number.MAX_SAFE_INTEGER);
    return putStreamToS3(this.client, this.bucket, key, bodyChunks(body), options);
  }

  /** One CopyObject (up to 5 GiB; artifacts are capped below that, jobs/config.ts). */
  async copy(from: string, to: string): Promise<T.PutResult> {
    assertValidKey(from);
    assertValidKey(to);
    const head = await this.head(from);
    if (!head) throw new NotFoundError('Object');
    if (head.bytes > MAX_COPY_BYTES) throw new Error(`storage: ${from} is ${head.bytes} bytes, over the ${MAX_COPY_BYTES}-byte CopyObject limit`);
    try {
      // Keys are [A-Za-z0-9._-/] only (key-rules.ts), so the copy source needs no escaping.
      const out = await this.client.send(new CopyObjectCommand({ Bucket: this.bucket, Key: to, CopySource: `${this.bucket}/${from}`, MetadataDirective: 'COPY', ...(head.etag ? { CopySourceIfMatch: head.etag } : {}) }));
      return { bytes: head.bytes, etag: out.CopyObjectResult?.ETag ?? '' };
    } catch (e) {
      if (isNotFound(e)) throw new NotFoundError('Object');
      throw e;
    }
  }

  /** Presigned PUTs cannot be revoked; integrity comes from copying to sealed keys instead. */
  async closeUploads(key: string): Promise<void> {
    assertValidKey(key);
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async deletePrefix(prefix: string): Promise<{ deleted: number }> {
    assertValidPrefix(prefix);
    return { deleted: await deleteAllUnder(this.client, this.bucket, prefix) };
  }

  list(prefix: string): AsyncIterable<T.ListedObject> {
    assertValidPrefix(prefix);
    const { client, bucket } = this;
    return (async function* () {
      let token: string | undefined;
      do {
        const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
        for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, bytes: o.Size ?? 0 };
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
    })();
  }

  async healthCheck(): Promise<T.HealthResult> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      return { ok: true, detail: `bucket ${this.bucket} is reachable` };
    } catch (e) {
      // The error name only: messages can echo request details, never credentials, but keep it terse.
      return { ok: false, detail: `bucket ${this.bucket} is not reachable: ${s3ErrorName(e) || 'error'}` };
    }
  }
}

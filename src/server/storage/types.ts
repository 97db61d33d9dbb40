// The one storage interface (DESIGN §1, issue 2 item 6). Two drivers implement it: `local`
// (files under a root dir, signed URLs served by the app) and `s3` (AWS S3, R2, MinIO).
// Keys come only from `keys.ts`; every driver re-validates them (`assertValidKey`).
import type { Readable } from 'node:stream';

export type StorageProvider = 'local' | 's3' | 'r2';

export interface PresignPutInput {
  key: string;
  /** Signed: the client must send exactly this Content-Type. */
  contentType: string;
  /**
   * The declared size of the upload. S3 signs it as the exact Content-Length, so the
   * body must be exactly this long there; the local driver accepts up to this many
   * bytes. Either way nothing larger is stored, and commit re-checks the real size.
   */
  maxBytes: number;
  expiresInSeconds: number;
  /**
   * false when the uploader cannot know the size in advance (a worker's trained artifact):
   * S3 then signs no Content-Length, and the caller must check the stored size (head) before
   * trusting the object. The local driver enforces maxBytes either way. Default true.
   */
  exactSize?: boolean;
}

export interface PresignedPut {
  url: string;
  method: 'PUT';
  /** Headers the client must send with the body (Content-Length comes from the body). */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface PresignGetInput {
  key: string;
  expiresInSeconds: number;
  /** When set, the response carries `Content-Disposition: attachment` with this name. */
  downloadName?: string;
  /**
   * The sha256 verification recorded for this object. The local driver's route then serves
   * the whole object only (Range ignored), hashing it on the way, and errors the body rather
   * than finish it on a mismatch. S3 cannot: callers re-check the size (head) before signing.
   */
  sha256?: string;
}

export interface PresignedGet {
  url: string;
  expiresAt: Date;
}

export interface CreateMultipartInput {
  key: string;
  contentType: string;
}

export interface PresignPartInput {
  key: string;
  uploadId: string;
  /** 1…10,000. */
  partNumber: number;
  /** This part's exact size (S3) / upper bound (local); see `partSizeFor`. */
  maxBytes: number;
  expiresInSeconds: number;
}

export interface CompletedPart {
  partNumber: number;
  /** The ETag header the part upload answered (quotes optional). */
  etag: string;
}

export interface CompleteMultipartInput {
  key: string;
  uploadId: string;
  parts: CompletedPart[];
}

export interface ObjectHead {
  bytes: number;
  contentType: string;
  etag: string;
  lastModified: Date;
}

/** Inclusive byte range, as in HTTP `Range: bytes=start-end`; `end` omitted = to the end. */
export interface ByteRange {
  start: number;
  end?: number;
}

/** Anything that yields bytes: a Buffer, a Node stream, a web stream or an async iterable. */
export type PutBody = Uint8Array | Readable | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface PutOptions {
  contentType: string;
  /** Hard limit, enforced while streaming; past it nothing is stored (413). */
  maxBytes: number;
}

export interface PutResult {
  bytes: number;
  etag: string;
}

export interface ListedObject {
  key: string;
  bytes: number;
}

export interface HealthResult {
  ok: boolean;
  detail: string;
}

export interface StorageDriver {
  readonly provider: StorageProvider;

  presignPut(input: PresignPutInput): Promise<PresignedPut>;
  presignGet(input: PresignGetInput): Promise<PresignedGet>;

  createMultipart(input: CreateMultipartInput): Promise<{ uploadId: string }>;
  presignPart(input: PresignPartInput): Promise<PresignedPut>;
  /** Parts must be listed in ascending order; every part but the last ≥ 5 MiB. */
  completeMultipart(input: CompleteMultipartInput): Promise<{ etag: string }>;
  /** Idempotent: aborting an unknown or finished upload is not an error. */
  abortMultipart(input: { key: string; uploadId: string }): Promise<void>;

  head(key: string): Promise<ObjectHead | null>;
  /** Throws NotFoundError when the object does not exist. */
  getStream(key: string, range?: ByteRange): Promise<Readable>;
  /** Whole object in memory; PayloadTooLargeError past `maxBytes` (default 32 MiB). */
  getBytes(key: string, options?: { maxBytes?: number }): Promise<Buffer>;
  /** Streams `body` in, counting bytes; over `maxBytes` or on any error nothing is stored. */
  putStream(key: string, body: PutBody, options: PutOptions): Promise<PutResult>;
  /**
   * Server-side copy of the object at `from` to `to` (same content type), replacing `to`.
   * NotFoundError when `from` does not exist. This is how verified objects reach sealed keys
   * (key-rules.ts), which no signed URL can write.
   */
  copy(from: string, to: string): Promise<PutResult>;
  /**
   * No signed upload to `key` is accepted from now on, whether or not an object is there.
   * Local: enforced by its signed-URL route (409). S3: presigned PUTs cannot be revoked, so
   * this is a no-op there — callers must not rely on it for integrity (copy to a sealed key).
   */
  closeUploads(key: string): Promise<void>;
  /** Idempotent. */
  delete(key: string): Promise<void>;
  /** Deletes every object whose key starts with `prefix` (never an empty prefix). */
  deletePrefix(prefix: string): Promise<{ deleted: number }>;
  /** Objects under `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ListedObject>;
  healthCheck(): Promise<HealthResult>;
}

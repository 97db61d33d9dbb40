// The local driver: objects are files under `rootDir` (./data/storage in the app), signed
// URLs point at the app's own route (/api/storage/local/<token>, local-route.ts), which
// enforces what the token signed. Same contract and limits as the S3 driver.
import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { BadRequestError, NotFoundError, PayloadTooLargeError } from '@/server/errors';
import { bodyChunks } from './body.ts';
import { assertUploadableKey, assertValidKey, assertValidPrefix } from './key-rules.ts';
import { isCode, pruneEmptyDirs, readJsonFile, stageFile, writeSmallFile } from './local-files.ts';
import { completeUpload, createUpload, putPart, removeUpload } from './local-multipart.ts';
import { LocalPaths } from './local-paths.ts';
import { signLocalToken, type LocalTokenPayload, type SigningKey } from './local-signing.ts';
import { listTree, purgeTree } from './local-tree.ts';
import { assertContentType, assertByteLimit, assertExpiry, assertPartByteLimit, DEFAULT_GET_BYTES_CAP } from './limits.ts';
import { assertPartNumber } from './multipart.ts';
import type * as T from './types.ts';

export interface LocalDriverConfig {
  rootDir: string;
  /** Public base URL of the app, e.g. http://localhost:3000 (signed URLs point here). */
  appUrl: string;
  signingKey: SigningKey;
  /** Clock for signing (tests); defaults to Date.now. */
  now?: () => number;
}

interface Sidecar {
  contentType: string;
  etag: string;
}

export class LocalStorageDriver implements T.StorageDriver {
  readonly provider = 'local' as const;
  readonly paths: LocalPaths;
  private readonly appUrl: string;
  private readonly signingKey: SigningKey;
  private readonly now: () => number;

  constructor(config: LocalDriverConfig) {
    if (Buffer.byteLength(config.signingKey) < 32) throw new Error('storage: the local signing key must be at least 32 bytes');
    this.paths = new LocalPaths(config.rootDir);
    this.appUrl = new URL(config.appUrl).toString().replace(/\/+$/, '');
    this.signingKey = config.signingKey;
    this.now = config.now ?? Date.now;
  }

  private sign(payload: Omit<LocalTokenPayload, 'v' | 'exp'>, expiresInSeconds: number): { url: string; expiresAt: Date } {
    assertExpiry(expiresInSeconds);
    const exp = Math.floor(this.now() / 1000) + expiresInSeconds;
    const token = signLocalToken({ v: 1, exp, ...payload }, this.signingKey);
    return { url: `${this.appUrl}/api/storage/local/${token}`, expiresAt: new Date(exp * 1000) };
  }

  async presignPut(input: T.PresignPutInput): Promise<T.PresignedPut> {
    assertUploadableKey(input.key);
    assertContentType(input.contentType);
    assertByteLimit(input.maxBytes);
    const { url, expiresAt } = this.sign({ key: input.key, method: 'PUT', contentType: input.contentType, maxBytes: input.maxBytes }, input.expiresInSeconds);
    return { url, method: 'PUT', headers: { 'content-type': input.contentType }, expiresAt };
  }

  async presignGet(input: T.PresignGetInput): Promise<T.PresignedGet> {
    assertValidKey(input.key);
    const downloadName = input.downloadName?.slice(0, 200);
    const sha256 = input.sha256 && /^[0-9a-f]{64}$/.test(input.sha256) ? input.sha256 : undefined;
    return this.sign({ key: input.key, method: 'GET', ...(downloadName ? { downloadName } : {}), ...(sha256 ? { sha256 } : {}) }, input.expiresInSeconds);
  }

  async createMultipart(input: T.CreateMultipartInput): Promise<{ uploadId: string }> {
    assertUploadableKey(input.key);
    assertContentType(input.contentType);
    return { uploadId: await createUpload(this.paths, input.key, input.contentType) };
  }

  async presignPart(input: T.PresignPartInput): Promise<T.PresignedPut> {
    assertUploadableKey(input.key);
    assertPartNumber(input.partNumber);
    assertPartByteLimit(input.maxBytes);
    this.paths.uploadDir(input.key, input.uploadId); // validates the id
    const part = { uploadId: input.uploadId, partNumber: input.partNumber };
    const { url, expiresAt } = this.sign({ key: input.key, method: 'PUT', maxBytes: input.maxBytes, part }, input.expiresInSeconds);
    return { url, method: 'PUT', headers: {}, expiresAt };
  }

  /** Used by the signed-URL route for part uploads; returns the part's ETag. */
  putPart(key: string, uploadId: string, partNumber: number, body: T.PutBody, options: { maxBytes: number; expectedBytes?: number }): Promise<string> {
    return putPart(this.paths, key, uploadId, partNumber, bodyChunks(body), options.maxBytes, options.expectedBytes);
  }

  async completeMultipart(input: T.CompleteMultipartInput): Promise<{ etag: string }> {
    const { etag, contentType, stage } = await completeUpload(this.paths, input.key, input.uploadId, input.parts);
    await this.publish(input.key, stage, { contentType, etag });
    await removeUpload(this.paths, input.key, input.uploadId);
    return { etag };
  }

  async abortMultipart(input: { key: string; uploadId: string }): Promise<void> {
    await removeUpload(this.paths, input.key, input.uploadId);
  }

  /** Sidecar first, then the object: whoever sees the object also sees its metadata. */
  private async publish(key: string, stage: Awaited<ReturnType<typeof stageFile>>, sidecar: Sidecar): Promise<void> {
    try {
      await writeSmallFile(this.paths.meta(key), JSON.stringify(sidecar), this.paths.root);
    } catch (e) {
      await stage.discard();
      throw e;
    }
    await stage.commit();
  }

  async head(key: string): Promise<T.ObjectHead | null> {
    const file = this.paths.object(key);
    let st;
    try {
      st = await stat(file);
    } catch (e) {
      if (isCode(e, 'ENOENT', 'ENOTDIR')) return null;
      throw e;
    }
    if (!st.isFile()) return null;
    const sidecar = await readJsonFile<Sidecar>(this.paths.meta(key));
    return {
      bytes: st.size,
      contentType: sidecar?.contentType ?? 'application/octet-stream',
      etag: sidecar?.etag ?? `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
      lastModified: st.mtime,
    };
  }

  async getStream(key: string, range?: T.ByteRange): Promise<Readable> {
    const head = await this.head(key);
    if (!head) throw new NotFoundError('Object');
    if (!range) return createReadStream(this.paths.object(key));
    const end = Math.min(range.end ?? head.bytes - 1, head.bytes - 1);
    if (!Number.isSafeInteger(range.start) || range.start < 0 || range.start > end) throw new BadRequestError('The requested range is not satisfiable.');
    return createReadStream(this.paths.object(key), { start: range.start, end });
  }

  async getBytes(key: string, options: { maxBytes?: number } = {}): Promise<Buffer> {
    const cap = options.maxBytes ?? DEFAULT_GET_BYTES_CAP;
    const head = await this.head(key);
    if (!head) throw new NotFoundError('Object');
    if (head.bytes > cap) throw new PayloadTooLargeError(`The object is larger than the ${cap}-byte read limit.`, { maxBytes: cap });
    return readFile(this.paths.object(key));
  }

  /** `expectedBytes` (local only, from the route): a body that ends short of it is refused. */
  async putStream(key: string, body: T.PutBody, options: T.PutOptions & { expectedBytes?: number }): Promise<T.PutResult> {
    assertContentType(options.contentType);
    assertByteLimit(options.maxBytes, Number.MAX_SAFE_INTEGER);
    const stage = await stageFile(this.paths.object(key), bodyChunks(body), options.maxBytes, this.paths.root, options.expectedBytes);
    const etag = `"${stage.md5.toString('hex')}"`;
    await this.publish(key, stage, { contentType: options.contentType, etag });
    return { bytes: stage.bytes, etag };
  }

  /** Streams the file into a temp file beside `to` and renames it: a reader never sees half a copy. */
  async copy(from: string, to: string): Promise<T.PutResult> {
    const head = await this.head(from);
    if (!head) throw new NotFoundError('Object');
    const stage = await stageFile(this.paths.object(to), bodyChunks(createReadStream(this.paths.object(from))), Number.MAX_SAFE_INTEGER, this.paths.root);
    const etag = `"${stage.md5.toString('hex')}"`;
    await this.publish(to, stage, { contentType: head.contentType, etag });
    return { bytes: stage.bytes, etag };
  }

  async closeUploads(key: string): Promise<void> {
    await writeSmallFile(this.paths.closed(key), '{}', this.paths.root);
  }

  /** Read by the signed-URL route before it accepts an upload. */
  async uploadsClosed(key: string): Promise<boolean> {
    try {
      return (await stat(this.paths.closed(key))).isFile();
    } catch (e) {
      if (isCode(e, 'ENOENT', 'ENOTDIR')) return false;
      throw e;
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.paths.object(key);
    await unlink(file).catch((e) => {
      if (!isCode(e, 'ENOENT', 'ENOTDIR', 'EISDIR', 'EPERM')) throw e;
    });
    await unlink(this.paths.meta(key)).catch(() => undefined);
    await pruneEmptyDirs(path.dirname(file), this.paths.root);
  }

  async deletePrefix(prefix: string): Promise<{ deleted: number }> {
    assertValidPrefix(prefix);
    return { deleted: await purgeTree(this.paths, prefix) };
  }

  list(prefix: string): AsyncIterable<T.ListedObject> {
    assertValidPrefix(prefix);
    return listTree(this.paths, prefix);
  }

  async healthCheck(): Promise<T.HealthResult> {
    const probe = path.join(this.paths.root, `.health-${randomBytes(8).toString('hex')}`);
    try {
      await mkdir(this.paths.root, { recursive: true });
      await writeFile(probe, 'ok');
      const back = await readFile(probe, 'utf8');
      await unlink(probe);
      return back === 'ok' ? { ok: true, detail: 'local storage is writable' } : { ok: false, detail: 'local storage read back different bytes' };
    } catch (e) {
      await unlink(probe).catch(() => undefined);
      return { ok: false, detail: `local storage is not writable: ${(e as NodeJS.ErrnoException).code ?? 'error'}` };
    }
  }
}

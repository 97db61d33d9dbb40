// Multipart uploads for the local driver, with S3's rules so code that works here works
// there: parts staged under `<key>.parts/<uploadId>/<n>`, completion checks the listed
// ETags against the bytes, order, and the 5 MiB minimum, then concatenates into a temp
// file that is renamed into place only when every check passed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, ValidationError } from '@/server/errors';
import { newId } from '@/server/ids';
import type { ByteSource } from './body.ts';
import { pruneEmptyDirs, readJsonFile, stageFile, writeSmallFile, isCode } from './local-files.ts';
import type { LocalPaths } from './local-paths.ts';
import { assertPartNumber, bareEtag, MIN_PART_BYTES } from './multipart.ts';
import type { CompletedPart } from './types.ts';

interface UploadManifest {
  key: string;
  contentType: string;
  createdAt: string;
}

const MANIFEST = 'upload.json';

export async function createUpload(paths: LocalPaths, key: string, contentType: string): Promise<string> {
  const uploadId = newId('upload');
  const manifest: UploadManifest = { key, contentType, createdAt: new Date().toISOString() };
  await writeSmallFile(path.join(paths.uploadDir(key, uploadId), MANIFEST), JSON.stringify(manifest), paths.root);
  return uploadId;
}

async function manifestOf(paths: LocalPaths, key: string, uploadId: string): Promise<UploadManifest> {
  const manifest = await readJsonFile<UploadManifest>(path.join(paths.uploadDir(key, uploadId), MANIFEST));
  if (!manifest || manifest.key !== key) throw new NotFoundError('Multipart upload');
  return manifest;
}

/** Stores one part; returns its ETag (quoted MD5 hex, as S3 answers). */
export async function putPart(paths: LocalPaths, key: string, uploadId: string, partNumber: number, source: ByteSource, maxBytes: number, expectedBytes?: number): Promise<string> {
  assertPartNumber(partNumber);
  await manifestOf(paths, key, uploadId);
  const staged = await stageFile(path.join(paths.uploadDir(key, uploadId), String(partNumber)), source, maxBytes, paths.root, expectedBytes);
  await staged.commit();
  return `"${staged.md5.toString('hex')}"`;
}

function checkOrder(parts: CompletedPart[]): void {
  if (parts.length === 0) throw new ValidationError('A multipart upload needs at least one part.');
  parts.forEach((p, i) => {
    assertPartNumber(p.partNumber);
    const prev = parts[i - 1];
    if (prev && p.partNumber <= prev.partNumber) throw new ValidationError('Parts must be listed in ascending part-number order, once each.');
  });
}

/** Concatenates the parts, verifying each part's MD5 against the ETag the client listed. */
async function* concatenate(dir: string, parts: CompletedPart[], partMd5s: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) {
    const hash = createHash('md5');
    for await (const chunk of createReadStream(path.join(dir, String(part.partNumber)))) {
      hash.update(chunk as Buffer);
      yield chunk as Buffer;
    }
    const md5 = hash.digest();
    if (md5.toString('hex') !== bareEtag(part.etag).toLowerCase()) {
      throw new ValidationError(`Part ${part.partNumber}'s ETag does not match the uploaded bytes.`);
    }
    partMd5s.push(md5);
  }
}

export async function completeUpload(paths: LocalPaths, key: string, uploadId: string, parts: CompletedPart[]): Promise<{ etag: string; contentType: string; stage: Awaited<ReturnType<typeof stageFile>> }> {
  checkOrder(parts);
  const manifest = await manifestOf(paths, key, uploadId);
  const dir = paths.uploadDir(key, uploadId);
  for (const [i, part] of parts.entries()) {
    let size: number;
    try {
      size = (await stat(path.join(dir, String(part.partNumber)))).size;
    } catch (e) {
      if (isCode(e, 'ENOENT')) throw new ValidationError(`Part ${part.partNumber} was never uploaded.`);
      throw e;
    }
    if (i < parts.length - 1 && size < MIN_PART_BYTES) {
      throw new ValidationError(`Part ${part.partNumber} is smaller than ${MIN_PART_BYTES} bytes; only the last part may be.`);
    }
  }
  const partMd5s: Buffer[] = [];
  const stage = await stageFile(paths.object(key), concatenate(dir, parts, partMd5s), Number.MAX_SAFE_INTEGER, paths.root);
  // S3's multipart ETag: MD5 of the concatenated binary part MD5s, dash, part count.
  const etag = `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${parts.length}"`;
  return { etag, contentType: manifest.contentType, stage };
}

/** Removes the upload's staging; idempotent. */
export async function removeUpload(paths: LocalPaths, key: string, uploadId: string): Promise<void> {
  await rm(paths.uploadDir(key, uploadId), { recursive: true, force: true });
  await rmdir(paths.partsRoot(key)).catch(() => undefined);
  await pruneEmptyDirs(path.dirname(paths.object(key)), paths.root);
}

// Crash- and failure-safe file writes for the local driver: bytes go to a temp file in the
// target's own directory (same file system, so the final rename is atomic), counted and
// hashed on the way; past the limit or on any error the temp file is removed, together
// with any directory that is left empty. A reader never sees a partial object.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { BadRequestError } from '@/server/errors';
import { limitBytes, type ByteSource } from './body.ts';
import { tempName } from './local-paths.ts';

export interface StagedFile {
  bytes: number;
  md5: Buffer;
  /** Atomically moves the staged bytes into place. */
  commit(): Promise<void>;
  /** Removes the staged bytes (and directories left empty). */
  discard(): Promise<void>;
}

const isCode = (e: unknown, ...codes: string[]) => codes.includes((e as NodeJS.ErrnoException)?.code ?? '');

/** rmdir from `dir` upwards while empty, never removing `stopAt` itself. */
export async function pruneEmptyDirs(dir: string, stopAt: string): Promise<void> {
  for (let d = dir; d.startsWith(stopAt + path.sep); d = path.dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return; // not empty (or already gone, or busy): stop here
    }
  }
}

/** Opens a fresh temp file beside `target`, creating directories; retries if a concurrent prune removed them. */
async function openTemp(target: string) {
  const dir = path.dirname(target);
  for (let attempt = 0; ; attempt++) {
    await mkdir(dir, { recursive: true });
    const temp = path.join(dir, tempName(path.basename(target), randomBytes(8).toString('hex')));
    try {
      return { temp, fh: await open(temp, 'wx', 0o600) };
    } catch (e) {
      if (!isCode(e, 'ENOENT') || attempt >= 3) throw e;
    }
  }
}

/**
 * `expectedBytes` (a declared Content-Length) makes a body that ends early an error: a
 * stream cut short — by a proxy's buffer limit, say — must not be published as a file.
 */
export async function stageFile(target: string, source: ByteSource, maxBytes: number, stopAt: string, expectedBytes?: number): Promise<StagedFile> {
  const { temp, fh } = await openTemp(target);
  const hash = createHash('md5');
  let bytes = 0;
  const discard = async () => {
    await unlink(temp).catch(() => undefined);
    await pruneEmptyDirs(path.dirname(target), stopAt);
  };
  try {
    for await (const chunk of limitBytes(source, maxBytes)) {
      hash.update(chunk);
      bytes += chunk.byteLength;
      await fh.write(chunk);
    }
    if (expectedBytes !== undefined && bytes !== expectedBytes) {
      throw new BadRequestError(`The body ended after ${bytes} of its declared ${expectedBytes} bytes.`);
    }
    await fh.sync(); // the rename must not publish a file whose bytes are still in flight
  } catch (e) {
    await fh.close().catch(() => undefined);
    await discard();
    throw e;
  }
  await fh.close();
  return {
    bytes,
    md5: hash.digest(),
    commit: async () => {
      try {
        await rename(temp, target);
      } catch (e) {
        await discard();
        throw e;
      }
    },
    discard,
  };
}

/** Small files (sidecars, upload manifests): the same temp-then-rename discipline. */
export async function writeSmallFile(target: string, data: string, stopAt: string): Promise<void> {
  const staged = await stageFile(target, [Buffer.from(data, 'utf8')], Number.MAX_SAFE_INTEGER, stopAt);
  await staged.commit();
}

export async function readJsonFile<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (e) {
    if (isCode(e, 'ENOENT', 'ENOTDIR')) return null;
    throw e;
  }
}

export { isCode };

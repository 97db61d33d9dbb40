// Unpacks a dataset zip without trusting it. Every entry must land inside `destDir`:
// absolute paths, `..`, backslashes, symlinks and device files are refused (zip-slip), and the
// number of entries and the total uncompressed size are capped before anything is written,
// with the real sizes enforced while streaming (a lying header cannot get past the cap).
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { JobFailure } from '../runner/failure.ts';

export interface UnzipLimits {
  maxEntries: number;
  maxTotalBytes: number;
}

export const DEFAULT_UNZIP_LIMITS: UnzipLimits = { maxEntries: 100_000, maxTotalBytes: 16 * 1024 ** 3 };

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

const unsafe = (message: string) => new JobFailure('dataset_unsafe_archive', `dataset archive refused: ${message}`);

/** Why this entry may not be extracted, or null. Exported for tests of the rules themselves. */
export function entryProblem(entry: Pick<Entry, 'fileName' | 'externalFileAttributes'>, destDir: string): string | null {
  const name = entry.fileName;
  if (name.length === 0 || name.includes('\0')) return 'an entry has an empty or invalid name';
  if (name.includes('\\')) return `entry "${name}" contains a backslash`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `entry "${name}" has an absolute path`;
  if (name.split('/').includes('..')) return `entry "${name}" points outside the archive ("..")`;
  const type = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if (type === S_IFLNK) return `entry "${name}" is a symbolic link`;
  if (type !== 0 && type !== S_IFREG && type !== S_IFDIR) return `entry "${name}" is not a regular file or folder`;
  const root = resolve(destDir);
  const target = resolve(root, name);
  if (target !== root && !target.startsWith(root + sep)) return `entry "${name}" resolves outside the dataset folder`;
  return null;
}

export async function extractZip(zipPath: string, destDir: string, limits: UnzipLimits, signal?: AbortSignal): Promise<{ files: number; bytes: number }> {
  let zip: ZipFile;
  try {
    // strictFileNames: a backslash is refused rather than silently turned into a separator.
    zip = await yauzl.openPromise(zipPath, { lazyEntries: true, autoClose: true, strictFileNames: true, validateEntrySizes: true });
  } catch (err) {
    throw invalid(err);
  }
  // Errors outside a pending readEntry() would otherwise be unhandled 'error' events.
  zip.on('error', () => {});
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw unsafe(`${zip.entryCount} entries, more than the ${limits.maxEntries} allowed`);
  }
  await mkdir(destDir, { recursive: true });
  const root = resolve(destDir);
  let files = 0;
  let bytes = 0;
  try {
    for await (const entry of entries(zip)) {
      if (signal?.aborted) throw signal.reason;
      const problem = entryProblem(entry, root);
      if (problem) throw unsafe(problem);
      if (entry.isEncrypted()) throw unsafe(`entry "${entry.fileName}" is encrypted`);
      // Resource forks macOS adds to zips it makes; never training data.
      if (entry.fileName.startsWith('__MACOSX/')) continue;
      const target = resolve(root, entry.fileName);
      if (entry.fileName.endsWith('/')) {
        await mkdir(target, { recursive: true });
        continue;
      }
      bytes += entry.uncompressedSize;
      if (bytes > limits.maxTotalBytes) throw unsafe(`more than ${limits.maxTotalBytes} bytes once uncompressed`);
      await mkdir(dirname(target), { recursive: true });
      const stream = await zip.openReadStreamPromise(entry);
      // 'wx': never follow or replace something that is already there (duplicate names).
      await pipeline(stream, createWriteStream(target, { flags: 'wx', mode: 0o644 }), signal ? { signal } : {});
      files++;
    }
  } catch (err) {
    zip.close();
    if (err instanceof JobFailure || signal?.aborted) throw err;
    throw invalid(err);
  }
  return { files, bytes };
}

function invalid(err: unknown): JobFailure {
  const message = err instanceof Error ? err.message : String(err);
  // yauzl's own name checks run first for some entries; they are zip-slip refusals too.
  if (/absolute path|invalid relative path|invalid characters in fileName/.test(message)) return unsafe(message);
  return new JobFailure('dataset_invalid_archive', `dataset archive could not be unpacked: ${message}`);
}

/** yauzl's lazy entry events as an async iterator, one entry at a time. */
async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  for (;;) {
    const next = await new Promise<Entry | null>((resolveEntry, reject) => {
      const cleanup = () => {
        zip.off('entry', onEntry);
        zip.off('end', onEnd);
        zip.off('error', onError);
      };
      const onEntry = (e: Entry) => (cleanup(), resolveEntry(e));
      const onEnd = () => (cleanup(), resolveEntry(null));
      const onError = (err: Error) => (cleanup(), reject(err));
      zip.on('entry', onEntry);
      zip.on('end', onEnd);
      zip.on('error', onError);
      zip.readEntry();
    });
    if (!next) return;
    yield next;
  }
}

// A version's files as one zip, streamed: each object is read from storage only when yazl
// reaches it and flows through with backpressure, so a multi-GB adapter is never held in
// memory. Entries are stored, not deflated (weights do not compress; the rest is tiny), which
// lets yazl know the total size up front for Content-Length.
import { Readable } from 'node:stream';
import yazl from 'yazl';
import { getStorage } from '@/server/storage';
import { checkedStream } from '@/server/storage/checked-stream';
import type { StoredFile } from './files.ts';

// Fixed timestamps: the same version gives a byte-identical zip.
const EPOCH = new Date('2020-01-01T00:00:00Z');
const ENTRY = { mtime: EPOCH, mode: 0o100644, compress: false } as const;

export interface ZipStream {
  body: ReadableStream<Uint8Array>;
  /** Exact size in bytes, or null when a file's size was not recorded. */
  bytes: number | null;
}

/**
 * `folder/<file>` for each file, then `folder/README.txt`. A file whose size or sha256 differs
 * from the record fails the stream (before that entry's last bytes go out); `onError` hears why.
 */
export function streamFilesZip(folder: string, files: StoredFile[], readme: string, onError?: (err: Error) => void): ZipStream {
  const zip = new yazl.ZipFile();
  const open = new Set<Readable>();
  const out = zip.outputStream as Readable;
  let failed = false;
  const fail = (err: unknown) => {
    const e = err instanceof Error ? err : new Error(String(err));
    if (!failed) onError?.(e);
    failed = true;
    out.destroy(e);
  };
  zip.on('error', fail);
  // A client that goes away cancels the web stream, which destroys `out`; close the source too.
  out.on('close', () => {
    for (const s of open) s.destroy();
  });
  for (const f of files) {
    zip.addReadStreamLazy(`${folder}/${f.name}`, { ...ENTRY, ...(f.bytes !== null ? { size: f.bytes } : {}) }, (cb) => {
      getStorage()
        .driver.getStream(f.key)
        .then(
          (raw) => {
            const s = f.sha256 ? checkedStream(raw, { sha256: f.sha256, bytes: f.bytes }, `File ${f.name}`) : raw;
            open.add(s);
            s.on('error', fail);
            s.on('close', () => open.delete(s));
            cb(null, s);
          },
          (err: unknown) => cb(err, undefined as never),
        );
    });
  }
  zip.addBuffer(Buffer.from(readme, 'utf8'), `${folder}/README.txt`, ENTRY);
  let bytes: number | null = null;
  // With stored entries of known sizes yazl computes the total synchronously inside end().
  // (@types/yazl declares the callback without its argument.)
  const onTotal = (total: number) => {
    bytes = total >= 0 ? total : null;
  };
  zip.end(undefined, onTotal as unknown as () => void);
  return { body: Readable.toWeb(out) as ReadableStream<Uint8Array>, bytes };
}

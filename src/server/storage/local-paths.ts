// Key → file path for the local driver, plus the names of its bookkeeping files. Keys are
// validated (key-rules.ts) before they get here, and the joined path is checked to stay
// under the root anyway: a key can never reach outside the storage directory.
import path from 'node:path';
import { ValidationError } from '@/server/errors';
import { assertValidKey, PARTS_SUFFIX } from './key-rules.ts';

export class LocalPaths {
  readonly root: string;

  constructor(rootDir: string) {
    this.root = path.resolve(rootDir);
  }

  /** Absolute path of the object stored under `key`. */
  object(key: string): string {
    assertValidKey(key);
    const full = path.join(this.root, ...key.split('/'));
    if (!full.startsWith(this.root + path.sep)) throw new ValidationError('Invalid storage key.');
    return full;
  }

  /** Directory holding the path of a key prefix's last complete segment. */
  dirOfPrefix(prefix: string): { dir: string; keyBase: string } {
    const slash = prefix.lastIndexOf('/');
    if (slash < 0) return { dir: this.root, keyBase: '' };
    const keyBase = prefix.slice(0, slash + 1);
    return { dir: this.object(keyBase.slice(0, -1)), keyBase };
  }

  /** Content type and ETag live beside the object, hidden: `.name.meta.json`. */
  meta(key: string): string {
    const file = this.object(key);
    return path.join(path.dirname(file), `.${path.basename(file)}.meta.json`);
  }

  /** A closed upload slot (`closeUploads`): `.name.closed` beside where the object is. */
  closed(key: string): string {
    const file = this.object(key);
    return path.join(path.dirname(file), `.${path.basename(file)}.closed`);
  }

  /** `<key>.parts/<uploadId>/` holds one multipart upload's parts and its `upload.json`. */
  uploadDir(key: string, uploadId: string): string {
    if (!/^[A-Za-z0-9_]{1,64}$/.test(uploadId)) throw new ValidationError('Invalid upload id.');
    return path.join(`${this.object(key)}${PARTS_SUFFIX}`, uploadId);
  }

  partsRoot(key: string): string {
    return `${this.object(key)}${PARTS_SUFFIX}`;
  }
}

/** Temp files are `.<target name>.<16 hex>.tmp` in the target's own directory. */
export const tempName = (targetBase: string, rand: string) => `.${targetBase}.${rand}.tmp`;

const META = /^\.(.+)\.meta\.json$/;
const TEMP = /^\.(.+)\.[0-9a-f]{16}\.tmp$/;
const CLOSED = /^\.(.+)\.closed$/;

/**
 * The object name a directory entry belongs to (itself, its sidecar, its temp files, its
 * multipart staging), so purging a prefix also purges the bookkeeping. null: not ours.
 */
export function ownerName(entry: string, isDir: boolean): string | null {
  if (isDir) {
    if (entry.endsWith(PARTS_SUFFIX)) return entry.slice(0, -PARTS_SUFFIX.length);
    return entry.startsWith('.') ? null : entry;
  }
  if (!entry.startsWith('.')) return entry;
  const m = TEMP.exec(entry) ?? META.exec(entry) ?? CLOSED.exec(entry);
  if (!m?.[1]) return null;
  return m[1].startsWith('.') ? ownerName(m[1], false) : m[1];
}

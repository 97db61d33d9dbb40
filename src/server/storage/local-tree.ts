// Walking the local storage tree: listing in S3's key order, and purging a prefix with
// everything that belongs to it (sidecars, temp files, multipart staging).
import type { Dirent } from 'node:fs';
import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { isCode, pruneEmptyDirs } from './local-files.ts';
import { LocalPaths, ownerName } from './local-paths.ts';
import { PARTS_SUFFIX } from './key-rules.ts';
import type { ListedObject } from './types.ts';

async function entries(dir: string): Promise<Dirent[]> {
  try {
    return await readdir(dir, { withFileTypes: true });
  } catch (e) {
    if (isCode(e, 'ENOENT', 'ENOTDIR')) return [];
    throw e;
  }
}

/** Could a key under directory key `dirKey` (ending in `/`) start with `prefix`? */
const reaches = (dirKey: string, prefix: string) => dirKey.startsWith(prefix) || prefix.startsWith(dirKey);

/**
 * Objects under `prefix` in ascending key order. Sorting a directory's entries with
 * directories as `name/` yields the same order as sorting the full keys, so the walk can
 * stream instead of collecting everything first.
 */
export async function* listTree(paths: LocalPaths, prefix: string): AsyncGenerator<ListedObject> {
  const { dir, keyBase } = paths.dirOfPrefix(prefix);
  yield* walk(dir, keyBase, prefix);
}

async function* walk(dir: string, keyBase: string, prefix: string): AsyncGenerator<ListedObject> {
  const visible = (await entries(dir))
    .filter((e) => !e.name.startsWith('.') && !e.name.endsWith(PARTS_SUFFIX) && (e.isFile() || e.isDirectory()))
    .map((e) => ({ e, sortKey: e.isDirectory() ? `${e.name}/` : e.name }))
    .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
  for (const { e, sortKey } of visible) {
    const key = keyBase + sortKey;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (reaches(key, prefix)) yield* walk(full, key, prefix);
    } else if (key.startsWith(prefix)) {
      try {
        yield { key, bytes: (await stat(full)).size };
      } catch (e2) {
        if (!isCode(e2, 'ENOENT')) throw e2; // deleted while we walked: not listed
      }
    }
  }
}

/** Removes every object under `prefix` and its bookkeeping; returns how many objects went. */
export async function purgeTree(paths: LocalPaths, prefix: string): Promise<number> {
  const { dir, keyBase } = paths.dirOfPrefix(prefix);
  const deleted = await purge(dir, keyBase, prefix);
  await pruneEmptyDirs(dir, paths.root);
  return deleted;
}

async function purge(dir: string, keyBase: string, prefix: string): Promise<number> {
  let deleted = 0;
  for (const e of await entries(dir)) {
    const full = path.join(dir, e.name);
    const isPlainDir = e.isDirectory() && !e.name.endsWith(PARTS_SUFFIX) && !e.name.startsWith('.');
    if (isPlainDir) {
      const key = `${keyBase}${e.name}/`;
      if (!reaches(key, prefix)) continue;
      deleted += await purge(full, key, prefix);
      await rmdir(full).catch(() => undefined);
      continue;
    }
    const owner = ownerName(e.name, e.isDirectory());
    if (owner === null || !(keyBase + owner).startsWith(prefix)) continue;
    if (e.isFile() && !e.name.startsWith('.')) deleted++;
    await rm(full, { recursive: true, force: true });
  }
  return deleted;
}

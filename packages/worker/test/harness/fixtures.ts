// Shared set-up for the runner/pull/push tests: a temp work root, a small image dataset zip,
// and fast retry settings (the same code paths, shorter waits).
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rawZip } from './zip.ts';

export const FAST = {
  eventBackoff: { baseMs: 20, capMs: 300 },
  transferRetry: { tries: 40, baseMs: 50, capMs: 300 },
  logBatchMs: 50,
  shutdownDrainMs: 5000,
};

export function tempRoot(): string {
  return mkdtempSync(join(tmpdir(), 'worker-test-'));
}

/** Folders left in a work root (the runner must remove each job's). */
export const leftovers = (root: string) => readdirSync(root);

export function imageZip(): Buffer {
  return rawZip([
    { name: 'img/001.png', data: Buffer.from('\x89PNG one') },
    { name: 'img/001.txt', data: 'tst, a red cube' },
    { name: 'img/002.png', data: Buffer.from('\x89PNG two') },
    { name: 'img/002.txt', data: 'tst, a blue sphere' },
  ]);
}

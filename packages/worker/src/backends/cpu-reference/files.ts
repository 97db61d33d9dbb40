// File-system helpers for a job: output locations, safe names, dataset listing and hashing.
import { createHash } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** A file-name-safe stem from a human model name ("My Face LoRA" → "my_face_lora"). */
export function fileStem(name: string): string {
  const stem = name
    .normalize('NFKD')
    .replace(/[^\w.-]+/g, '_')
    .replace(/^[_.-]+|[_.-]+$/g, '')
    .toLowerCase()
    .slice(0, 80);
  return stem || 'lora';
}

export async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Every file under `dir`, relative paths sorted (so runs are reproducible), skipping dot files and __MACOSX. */
export async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(join(dir, prefix), { withFileTypes: true })) {
    if (e.name.startsWith('.') || e.name === '__MACOSX') continue;
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (e.isFile()) out.push(rel);
  }
  return out.sort();
}

export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The control plane's dataset hash: sha256 over the sorted item hashes joined by newlines. */
export function datasetHashOf(itemHashes: string[]): string {
  return sha256Hex([...itemHashes].sort().join('\n'));
}

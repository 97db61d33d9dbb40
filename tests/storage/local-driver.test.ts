// Local-driver specifics: S3's multipart rules enforced locally, and no bookkeeping
// (temp files, sidecars, part staging) ever leaking into listings or surviving a purge.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '@/server/errors';
import { newId } from '@/server/ids';
import { createStorageDriver } from '@/server/storage/create';
import { datasetPrefix, datasetUploadKey } from '@/server/storage/keys';
import { LocalStorageDriver } from '@/server/storage/local';
import { MIN_PART_BYTES } from '@/server/storage/multipart';

let rootDir: string;
let driver: LocalStorageDriver;
const KEY = 'k'.repeat(40);

beforeAll(async () => {
  rootDir = await mkdtemp(path.join(tmpdir(), 'lora-local-'));
  driver = createStorageDriver({ provider: 'local', rootDir, appUrl: 'http://127.0.0.1:1/', signingKey: KEY });
});
afterAll(async () => {
  await rm(rootDir, { recursive: true, force: true });
});

async function allFiles(dir = rootDir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(full)));
    else out.push(path.relative(rootDir, full));
  }
  return out.sort();
}

const ids = () => ({ workspaceId: newId('workspace'), datasetId: newId('dataset') });
const uploadKey = (p = ids()) => datasetUploadKey({ ...p, uploadId: newId('upload'), filename: 'conv.jsonl' });

/** Uploads parts straight through the driver (the route does the same after checking the token). */
async function parts(key: string, uploadId: string, bodies: Buffer[]) {
  const out = [];
  for (const [i, body] of bodies.entries()) out.push({ partNumber: i + 1, etag: await driver.putPart(key, uploadId, i + 1, body, { maxBytes: body.length }) });
  return out;
}

describe('local driver', () => {
  it('stores files under the root at the key path, with metadata hidden beside them', async () => {
    const key = uploadKey();
    await driver.putStream(key, Buffer.from('hello'), { contentType: 'text/plain', maxBytes: 5 });
    const files = (await allFiles()).filter((f) => f.startsWith(key.split('/').slice(0, 2).join('/')));
    const base = path.basename(key);
    expect(files).toEqual([path.join(path.dirname(key), `.${base}.meta.json`), key].sort());
    const listed = [];
    for await (const o of driver.list(key.slice(0, key.lastIndexOf('/') + 1))) listed.push(o);
    expect(listed).toEqual([{ key, bytes: 5 }]);
  });

  it('a failed or over-limit write leaves no temp file and no empty directories', async () => {
    const before = await allFiles();
    const key = uploadKey();
    await expect(driver.putStream(key, randomBytes(11), { contentType: 'text/plain', maxBytes: 10 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    const failing = new Readable({
      read() {
        this.push(randomBytes(100));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(driver.putStream(key, failing, { contentType: 'text/plain', maxBytes: 1000 })).rejects.toThrow('client went away');
    expect(await allFiles()).toEqual(before);
    const wsDirs = await readdir(path.join(rootDir, 'ws'));
    expect(wsDirs).not.toContain(key.split('/')[1]);
  });

  it('multipart refuses a short middle part, a wrong ETag, a missing part and bad order — and writes nothing', async () => {
    const key = uploadKey();
    const { uploadId } = await driver.createMultipart({ key, contentType: 'application/jsonl' });
    const [p1, p2] = await parts(key, uploadId, [randomBytes(1000), randomBytes(10)]);
    await expect(driver.completeMultipart({ key, uploadId, parts: [p1!, p2!] })).rejects.toThrow(/smaller than/);

    const big = randomBytes(MIN_PART_BYTES);
    const [q1, q2] = await parts(key, uploadId, [big, randomBytes(10)]);
    await expect(driver.completeMultipart({ key, uploadId, parts: [q1!, { ...q2!, etag: '"00000000000000000000000000000000"' }] })).rejects.toThrow(/ETag/);
    await expect(driver.completeMultipart({ key, uploadId, parts: [q1!, { partNumber: 3, etag: q2!.etag }] })).rejects.toThrow(/never uploaded/);
    await expect(driver.completeMultipart({ key, uploadId, parts: [q2!, q1!] })).rejects.toBeInstanceOf(ValidationError);
    await expect(driver.completeMultipart({ key, uploadId, parts: [] })).rejects.toBeInstanceOf(ValidationError);
    expect(await driver.head(key)).toBeNull();
    expect((await allFiles()).some((f) => f.startsWith(key) && !f.includes('.parts/'))).toBe(false);

    // the same upload still completes once the client gets it right; the ETag is S3-style
    const done = await driver.completeMultipart({ key, uploadId, parts: [q1!, q2!] });
    expect(done.etag).toMatch(/^"[0-9a-f]{32}-2"$/);
    expect((await driver.head(key))?.etag).toBe(done.etag);
    expect((await allFiles()).filter((f) => f.includes('.parts'))).toEqual([]);
  });

  it('part uploads need a live upload and respect their byte limit', async () => {
    const key = uploadKey();
    await expect(driver.putPart(key, 'upl_nothere', 1, randomBytes(5), { maxBytes: 10 })).rejects.toBeInstanceOf(NotFoundError);
    const { uploadId } = await driver.createMultipart({ key, contentType: 'application/jsonl' });
    await expect(driver.putPart(key, uploadId, 1, randomBytes(11), { maxBytes: 10 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    await driver.abortMultipart({ key, uploadId });
    await expect(driver.putPart(key, uploadId, 1, randomBytes(5), { maxBytes: 10 })).rejects.toBeInstanceOf(NotFoundError);
    await expect(driver.putPart(key, '../../x', 1, randomBytes(5), { maxBytes: 10 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('deletePrefix also purges pending multipart parts and stray temp files', async () => {
    const p = ids();
    const key = uploadKey(p);
    await driver.putStream(key, randomBytes(10), { contentType: 'text/plain', maxBytes: 10 });
    const pending = uploadKey(p);
    const { uploadId } = await driver.createMultipart({ key: pending, contentType: 'application/jsonl' });
    await parts(pending, uploadId, [randomBytes(100)]);
    // a temp file left by a crashed writer
    await writeFile(path.join(path.dirname(path.join(rootDir, key)), `.${path.basename(key)}.0123456789abcdef.tmp`), 'x');
    expect(await driver.deletePrefix(datasetPrefix(p.workspaceId, p.datasetId))).toEqual({ deleted: 1 });
    expect((await allFiles()).filter((f) => f.startsWith(`ws/${p.workspaceId}/`))).toEqual([]);
    expect(await readdir(path.join(rootDir, 'ws'))).not.toContain(p.workspaceId);
  });

  it('signed URLs carry the app URL, and expiry follows the injected clock', async () => {
    const clocked = new LocalStorageDriver({ rootDir, appUrl: 'https://studio.example.com/', signingKey: KEY, now: () => 1_700_000_000_000 });
    const put = await clocked.presignPut({ key: uploadKey(), contentType: 'application/jsonl', maxBytes: 10, expiresInSeconds: 900 });
    expect(put.url).toMatch(/^https:\/\/studio\.example\.com\/api\/storage\/local\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(put.expiresAt.toISOString()).toBe(new Date(1_700_000_900_000).toISOString());
  });

  it('refuses a short signing key and reports an unusable root as unhealthy', async () => {
    expect(() => new LocalStorageDriver({ rootDir, appUrl: 'http://x', signingKey: 'short' })).toThrow(/32 bytes/);
    const fileAsRoot = path.join(rootDir, 'not-a-dir');
    await writeFile(fileAsRoot, 'x');
    const broken = await new LocalStorageDriver({ rootDir: fileAsRoot, appUrl: 'http://x', signingKey: KEY }).healthCheck();
    expect(broken).toMatchObject({ ok: false });
    expect(broken.detail).toMatch(/not writable/);
  });
});

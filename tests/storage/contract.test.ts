// One contract, both drivers: the same behaviour from local files and from a real
// S3-protocol server, including presigned URLs exercised with real HTTP requests.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PayloadTooLargeError, ValidationError } from '@/server/errors';
import { newId } from '@/server/ids';
import { datasetPrefix, datasetUploadKey, versionArtifactKey } from '@/server/storage/keys';
import { MIN_PART_BYTES } from '@/server/storage/multipart';
import type { StorageDriver } from '@/server/storage/types';
import { startLocalHarness } from './helpers/local-server.ts';
import { startS3Harness } from './helpers/s3-server.ts';

interface Harness {
  driver: StorageDriver;
  stop(): Promise<void>;
}

const drivers: { name: string; start: () => Promise<Harness> }[] = [
  { name: 'local', start: startLocalHarness },
  { name: 's3 (s3rver)', start: startS3Harness },
];

const MiB = 1024 * 1024;

function uploadKey(filename = 'photo.jpg', ws = newId('workspace'), ds = newId('dataset')) {
  return datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: newId('upload'), filename });
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(Buffer.from(c));
  return Buffer.concat(chunks);
}

async function keysUnder(driver: StorageDriver, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of driver.list(prefix)) out.push(o.key);
  return out;
}

describe.each(drivers)('storage contract: $name', ({ start }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('puts, heads, reads whole and by range, deletes', async () => {
    const key = uploadKey();
    const bytes = randomBytes(1000);
    const put = await h.driver.putStream(key, bytes, { contentType: 'image/jpeg', maxBytes: 1000 });
    expect(put.bytes).toBe(1000);
    expect(put.etag).toMatch(/^"[0-9a-f]{32}"$/);

    const head = await h.driver.head(key);
    expect(head).toMatchObject({ bytes: 1000, contentType: 'image/jpeg', etag: put.etag });
    expect(head!.lastModified).toBeInstanceOf(Date);

    expect((await h.driver.getBytes(key)).equals(bytes)).toBe(true);
    expect((await collect(await h.driver.getStream(key))).equals(bytes)).toBe(true);
    expect((await collect(await h.driver.getStream(key, { start: 10, end: 19 }))).equals(bytes.subarray(10, 20))).toBe(true);
    expect((await collect(await h.driver.getStream(key, { start: 990 }))).equals(bytes.subarray(990))).toBe(true);

    await h.driver.delete(key);
    expect(await h.driver.head(key)).toBeNull();
    await expect(h.driver.getStream(key)).rejects.toBeInstanceOf(NotFoundError);
    await h.driver.delete(key); // idempotent
  });

  it('accepts Node streams and web streams, and overwrites', async () => {
    const key = uploadKey('data.jsonl');
    const parts = [randomBytes(70_000), randomBytes(5), randomBytes(40_000)];
    await h.driver.putStream(key, Readable.from(parts), { contentType: 'application/jsonl', maxBytes: 200_000 });
    expect((await h.driver.getBytes(key)).equals(Buffer.concat(parts))).toBe(true);

    const web = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]));
        c.enqueue(new Uint8Array([4]));
        c.close();
      },
    });
    await h.driver.putStream(key, web, { contentType: 'application/jsonl', maxBytes: 4 });
    expect([...(await h.driver.getBytes(key))]).toEqual([1, 2, 3, 4]);
  });

  it('stores empty objects', async () => {
    const key = uploadKey('empty.txt');
    await h.driver.putStream(key, new Uint8Array(0), { contentType: 'text/plain', maxBytes: 10 });
    expect((await h.driver.head(key))?.bytes).toBe(0);
    expect((await h.driver.getBytes(key)).length).toBe(0);
  });

  it('refuses a body over maxBytes and stores nothing', async () => {
    const ws = newId('workspace');
    const ds = newId('dataset');
    const key = uploadKey('big.jpg', ws, ds);
    await expect(h.driver.putStream(key, Readable.from([randomBytes(600), randomBytes(600)]), { contentType: 'image/jpeg', maxBytes: 1000 })).rejects.toBeInstanceOf(
      PayloadTooLargeError,
    );
    expect(await h.driver.head(key)).toBeNull();
    expect(await keysUnder(h.driver, datasetPrefix(ws, ds))).toEqual([]);
  });

  it('refuses an over-limit stream even after parts were sent, and stores nothing', async () => {
    const key = uploadKey('huge.jsonl');
    const chunks = Array.from({ length: 20 }, () => randomBytes(MiB)); // 20 MiB against a 12 MiB limit
    await expect(h.driver.putStream(key, Readable.from(chunks), { contentType: 'application/jsonl', maxBytes: 12 * MiB })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect(await h.driver.head(key)).toBeNull();
  });

  it('streams bodies longer than one part', async () => {
    const key = uploadKey('long.jsonl');
    const body = randomBytes(9 * MiB + 123); // more than one 8 MiB part
    const put = await h.driver.putStream(key, Readable.from([body.subarray(0, 4 * MiB), body.subarray(4 * MiB)]), {
      contentType: 'application/jsonl',
      maxBytes: 10 * MiB,
    });
    expect(put.bytes).toBe(body.length);
    expect((await h.driver.getBytes(key)).equals(body)).toBe(true);
  });

  it('caps getBytes', async () => {
    const key = uploadKey();
    await h.driver.putStream(key, randomBytes(2000), { contentType: 'image/jpeg', maxBytes: 2000 });
    await expect(h.driver.getBytes(key, { maxBytes: 1999 })).rejects.toBeInstanceOf(PayloadTooLargeError);
    expect((await h.driver.getBytes(key, { maxBytes: 2000 })).length).toBe(2000);
    await expect(h.driver.getBytes(uploadKey())).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists in key order under a prefix and deletes a prefix only', async () => {
    const ws = newId('workspace');
    const ds = newId('dataset');
    const other = newId('dataset');
    const keys = ['b.jpg', 'a.jpg', 'a-b.jpg'].map((f) => datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: 'upl_x', filename: f }));
    keys.push(versionArtifactKey({ workspaceId: ws, modelId: 'lm_m', versionId: 'ver_v', file: 'adapter_model.safetensors' }));
    const keep = datasetUploadKey({ workspaceId: ws, datasetId: other, uploadId: 'upl_x', filename: 'keep.jpg' });
    for (const [i, k] of [...keys, keep].entries()) await h.driver.putStream(k, randomBytes(10 + i), { contentType: 'image/jpeg', maxBytes: 100 });

    const listed: { key: string; bytes: number }[] = [];
    for await (const o of h.driver.list(`ws/${ws}/`)) listed.push(o);
    const expected = [...keys, keep].sort();
    expect(listed.map((o) => o.key)).toEqual(expected);
    expect(listed.find((o) => o.key === keys[0])?.bytes).toBe(10);
    // a prefix may end in the middle of a segment
    expect(await keysUnder(h.driver, `${datasetPrefix(ws, ds)}uploads/upl_x-a`)).toEqual([keys[2], keys[1]]);

    expect(await h.driver.deletePrefix(datasetPrefix(ws, ds))).toEqual({ deleted: 3 });
    expect(await keysUnder(h.driver, datasetPrefix(ws, ds))).toEqual([]);
    expect(await keysUnder(h.driver, `ws/${ws}/`)).toEqual([keys[3], keep].sort());
    expect(await h.driver.deletePrefix(`ws/${ws}/`)).toEqual({ deleted: 2 });
    expect(await keysUnder(h.driver, `ws/${ws}/`)).toEqual([]);
  });

  it('presigned PUT then presigned GET over real HTTP', async () => {
    const key = uploadKey('face.png');
    const body = randomBytes(4096);
    const put = await h.driver.presignPut({ key, contentType: 'image/png', maxBytes: body.length, expiresInSeconds: 300 });
    expect(put.method).toBe('PUT');
    expect(put.expiresAt.getTime()).toBeGreaterThan(Date.now() + 250_000);
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe(`"${(await h.driver.head(key))!.etag.replace(/"/g, '')}"`);

    const get = await h.driver.presignGet({ key, expiresInSeconds: 60, downloadName: 'my face.png' });
    const got = await fetch(get.url);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toContain('attachment; filename="my face.png"');
    expect(Buffer.from(await got.arrayBuffer()).equals(body)).toBe(true);

    const ranged = await fetch(get.url, { headers: { range: 'bytes=100-199' } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get('content-range')).toBe(`bytes 100-199/${body.length}`);
    expect(Buffer.from(await ranged.arrayBuffer()).equals(body.subarray(100, 200))).toBe(true);
  });

  it('multipart: create → two parts on presigned URLs → complete', async () => {
    const key = uploadKey('dataset.jsonl');
    const part1 = randomBytes(MIN_PART_BYTES);
    const part2 = randomBytes(1234);
    const { uploadId } = await h.driver.createMultipart({ key, contentType: 'application/jsonl' });
    const etags: string[] = [];
    for (const [i, part] of [part1, part2].entries()) {
      const signed = await h.driver.presignPart({ key, uploadId, partNumber: i + 1, maxBytes: part.length, expiresInSeconds: 300 });
      const res = await fetch(signed.url, { method: 'PUT', headers: signed.headers, body: part });
      expect(res.status).toBe(200);
      etags.push(res.headers.get('etag')!);
    }
    expect(etags.every((e) => /^"?[0-9a-f]{32}"?$/.test(e))).toBe(true);
    expect(await h.driver.head(key)).toBeNull(); // nothing visible before completion

    const done = await h.driver.completeMultipart({ key, uploadId, parts: etags.map((etag, i) => ({ partNumber: i + 1, etag })) });
    expect(done.etag).not.toBe('');
    const head = await h.driver.head(key);
    expect(head).toMatchObject({ bytes: part1.length + part2.length, contentType: 'application/jsonl' });
    expect((await h.driver.getBytes(key)).equals(Buffer.concat([part1, part2]))).toBe(true);
  });

  it('multipart: abort discards the parts; aborting twice is fine', async () => {
    const key = uploadKey('dataset.jsonl');
    const { uploadId } = await h.driver.createMultipart({ key, contentType: 'application/jsonl' });
    const signed = await h.driver.presignPart({ key, uploadId, partNumber: 1, maxBytes: 100, expiresInSeconds: 300 });
    const res = await fetch(signed.url, { method: 'PUT', body: randomBytes(100) });
    expect(res.status).toBe(200);
    await h.driver.abortMultipart({ key, uploadId });
    await expect(h.driver.completeMultipart({ key, uploadId, parts: [{ partNumber: 1, etag: res.headers.get('etag')! }] })).rejects.toThrow();
    expect(await h.driver.head(key)).toBeNull();
    await h.driver.abortMultipart({ key, uploadId });
  });

  it('rejects unsafe keys before touching storage', async () => {
    for (const key of ['../etc/passwd', '/abs/key', 'ws//x', 'ws/a/../../b', 'ws/a/.hidden', 'ws/a\u0000b', 'ws\\a', 'ws/a.parts/x', '']) {
      await expect(h.driver.head(key), key).rejects.toBeInstanceOf(ValidationError);
      await expect(h.driver.putStream(key, new Uint8Array(1), { contentType: 'image/png', maxBytes: 1 }), key).rejects.toBeInstanceOf(ValidationError);
      await expect(h.driver.presignPut({ key, contentType: 'image/png', maxBytes: 1, expiresInSeconds: 60 }), key).rejects.toBeInstanceOf(ValidationError);
    }
    await expect(h.driver.deletePrefix('')).rejects.toBeInstanceOf(ValidationError);
  });

  it('validates presign arguments', async () => {
    const key = uploadKey();
    await expect(h.driver.presignPut({ key, contentType: 'image/png', maxBytes: -1, expiresInSeconds: 60 })).rejects.toBeInstanceOf(ValidationError);
    await expect(h.driver.presignPut({ key, contentType: 'image/png', maxBytes: 10, expiresInSeconds: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(h.driver.presignPut({ key, contentType: 'not a type', maxBytes: 10, expiresInSeconds: 60 })).rejects.toBeInstanceOf(ValidationError);
    await expect(h.driver.presignPart({ key, uploadId: 'x', partNumber: 10_001, maxBytes: 10, expiresInSeconds: 60 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('reports health', async () => {
    expect(await h.driver.healthCheck()).toMatchObject({ ok: true });
  });
});

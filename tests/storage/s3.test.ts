// S3-specific behaviour against a real S3-protocol server on loopback (s3rver). s3rver
// does not verify signatures, so what the signature covers is asserted on the URL itself.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/server/ids';
import { createStorageDriver } from '@/server/storage/create';
import { datasetPrefix, datasetUploadKey } from '@/server/storage/keys';
import { BUCKET, startS3Harness, type S3Harness } from './helpers/s3-server.ts';

let h: S3Harness;
beforeAll(async () => {
  h = await startS3Harness();
});
afterAll(async () => {
  await h?.stop();
});

const key = () => datasetUploadKey({ workspaceId: newId('workspace'), datasetId: newId('dataset'), uploadId: newId('upload'), filename: 'a.jpg' });
const signedHeaders = (url: string) => new URL(url).searchParams.get('X-Amz-SignedHeaders')?.split(';');

describe('s3 driver', () => {
  it('signs Content-Type and the exact Content-Length into presigned PUTs, so the bucket enforces both', async () => {
    const put = await h.driver.presignPut({ key: key(), contentType: 'image/jpeg', maxBytes: 12345, expiresInSeconds: 600 });
    const url = new URL(put.url);
    expect(signedHeaders(put.url)).toEqual(['content-length', 'content-type', 'host']);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('600');
    expect(url.host).toBe(new URL(h.endpoint).host);
    expect(url.pathname.startsWith(`/${BUCKET}/ws/`)).toBe(true); // path-style
    // no checksum parameters a browser could not satisfy (requestChecksumCalculation: WHEN_REQUIRED)
    expect([...url.searchParams.keys()].filter((k) => /checksum/i.test(k))).toEqual([]);
    expect(put.headers).toEqual({ 'content-type': 'image/jpeg' });
  });

  it('signs no length when the uploader cannot know the size (worker outputs); a body of any size is accepted', async () => {
    const k = key();
    const put = await h.driver.presignPut({ key: k, contentType: 'application/octet-stream', maxBytes: 1024, expiresInSeconds: 600, exactSize: false });
    expect(signedHeaders(put.url)).toEqual(['content-type', 'host']);
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: Buffer.alloc(77, 1) });
    expect(res.ok).toBe(true);
    expect((await h.driver.head(k))?.bytes).toBe(77);
  });

  it('signs the exact part size into presigned part URLs', async () => {
    const k = key();
    const { uploadId } = await h.driver.createMultipart({ key: k, contentType: 'application/jsonl' });
    const part = await h.driver.presignPart({ key: k, uploadId, partNumber: 3, maxBytes: 8 * 1024 * 1024, expiresInSeconds: 60 });
    const url = new URL(part.url);
    expect(signedHeaders(part.url)).toEqual(['content-length', 'host']);
    expect(url.searchParams.get('partNumber')).toBe('3');
    expect(url.searchParams.get('uploadId')).toBe(uploadId);
    await h.driver.abortMultipart({ key: k, uploadId });
  });

  it('presigned GETs carry the download name as response-content-disposition', async () => {
    const get = await h.driver.presignGet({ key: key(), expiresInSeconds: 60, downloadName: 'lora v1.safetensors' });
    expect(new URL(get.url).searchParams.get('response-content-disposition')).toBe(
      `attachment; filename="lora v1.safetensors"; filename*=UTF-8''lora%20v1.safetensors`,
    );
  });

  it('lists and deletes a prefix across pages of 1,000 keys', async () => {
    const ws = newId('workspace');
    const ds = newId('dataset');
    const keys = Array.from({ length: 1003 }, (_, i) => datasetUploadKey({ workspaceId: ws, datasetId: ds, uploadId: `upl_${String(i).padStart(4, '0')}`, filename: 'x.jpg' }));
    for (let i = 0; i < keys.length; i += 50) {
      await Promise.all(keys.slice(i, i + 50).map((k) => h.driver.putStream(k, randomBytes(3), { contentType: 'image/jpeg', maxBytes: 3 })));
    }
    const listed: string[] = [];
    for await (const o of h.driver.list(datasetPrefix(ws, ds))) listed.push(o.key);
    expect(listed).toEqual([...keys].sort());
    expect(await h.driver.deletePrefix(datasetPrefix(ws, ds))).toEqual({ deleted: 1003 });
    const after: string[] = [];
    for await (const o of h.driver.list(datasetPrefix(ws, ds))) after.push(o.key);
    expect(after).toEqual([]);
  });

  it('reports an unreachable bucket as unhealthy without throwing', async () => {
    const missing = createStorageDriver({
      provider: 's3',
      bucket: 'no-such-bucket',
      region: 'us-east-1',
      endpoint: h.endpoint,
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      forcePathStyle: true,
    });
    const health = await missing.healthCheck();
    expect(health.ok).toBe(false);
    expect(health.detail).toContain('no-such-bucket');
    missing.client.destroy();
  });

  it('the factory refuses R2 without an endpoint', () => {
    expect(() => createStorageDriver({ provider: 'r2', bucket: 'b', region: 'auto', accessKeyId: 'a', secretAccessKey: 's', forcePathStyle: false })).toThrow(/endpoint/);
  });
});

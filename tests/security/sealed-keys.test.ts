// Issue #11, defect 3, the storage layer: verified objects live under sealed keys
// (`…/verified/…`) that neither driver ever signs an upload for, both drivers copy objects
// server-side into them, and the local driver (which serves PUTs itself) refuses uploads to
// a slot the control plane has closed. S3 presigned PUTs cannot be revoked — that is why the
// copy, not the closing, is what keeps a verified artifact immutable.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '@/server/errors';
import { newId } from '@/server/ids';
import { isSealedKey, sealedJobLogKey, sealedVersionFileKey, versionArtifactKey } from '@/server/storage/keys';
import type { StorageDriver } from '@/server/storage/types';
import { startLocalHarness, type LocalHarness } from '../storage/helpers/local-server.ts';
import { startS3Harness } from '../storage/helpers/s3-server.ts';

const ids = () => ({ workspaceId: newId('workspace'), modelId: newId('model'), versionId: newId('version') });

describe('sealed keys', () => {
  it('are built in keys.ts under the version (or job) prefix and recognised as sealed; slot keys are not', () => {
    const v = ids();
    const sealed = sealedVersionFileKey({ ...v, seal: 'a1_0123abcd', file: 'adapter_config.json' });
    expect(sealed).toBe(`ws/${v.workspaceId}/models/${v.modelId}/versions/${v.versionId}/verified/a1_0123abcd/adapter_config.json`);
    expect(isSealedKey(sealed)).toBe(true);
    const log = sealedJobLogKey({ workspaceId: v.workspaceId, jobId: 'job_x', attempt: 2, seal: 'a2_ff' });
    expect(log).toBe(`ws/${v.workspaceId}/jobs/job_x/2/verified/a2_ff/worker.log`);
    expect(isSealedKey(log)).toBe(true);
    expect(isSealedKey(versionArtifactKey({ ...v, file: 'a1-lora.safetensors' }))).toBe(false);
    // A file name cannot smuggle a segment in: names are flattened first.
    expect(isSealedKey(versionArtifactKey({ ...v, file: 'verified/x' }))).toBe(false);
    expect(() => sealedVersionFileKey({ ...v, seal: '../x', file: 'a' })).toThrow();
  });
});

const drivers: { name: string; start: () => Promise<{ driver: StorageDriver; stop(): Promise<void> }> }[] = [
  { name: 'local', start: startLocalHarness },
  { name: 's3 (s3rver)', start: startS3Harness },
];

describe.each(drivers)('sealed keys on $name', ({ start }) => {
  let h: { driver: StorageDriver; stop(): Promise<void> };
  beforeAll(async () => {
    h = await start();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('no upload URL (PUT, multipart) is ever signed for a sealed key', async () => {
    const key = sealedVersionFileKey({ ...ids(), seal: 'a1_abc', file: 'lora.safetensors' });
    await expect(h.driver.presignPut({ key, contentType: 'application/octet-stream', maxBytes: 10, expiresInSeconds: 60 })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(h.driver.createMultipart({ key, contentType: 'application/octet-stream' })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(h.driver.presignPart({ key, uploadId: 'upl_x', partNumber: 1, maxBytes: 10, expiresInSeconds: 60 })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('copy puts the same bytes and content type under the new key, server-side; a missing source is NotFound', async () => {
    const v = ids();
    const from = versionArtifactKey({ ...v, file: 'a1-lora.safetensors' });
    const to = sealedVersionFileKey({ ...v, seal: 'a1_abc', file: 'lora.safetensors' });
    const bytes = randomBytes(70_000);
    await h.driver.putStream(from, bytes, { contentType: 'application/octet-stream', maxBytes: bytes.length });
    const copied = await h.driver.copy(from, to);
    expect(copied.bytes).toBe(bytes.length);
    expect((await h.driver.getBytes(to)).equals(bytes)).toBe(true);
    expect((await h.driver.head(to))!.contentType).toBe('application/octet-stream');
    // The copy is independent of its source.
    await h.driver.putStream(from, Buffer.from('other'), { contentType: 'application/octet-stream', maxBytes: 5 });
    expect((await h.driver.getBytes(to)).equals(bytes)).toBe(true);
    await expect(h.driver.copy(`${from}-gone`, `${to}-gone`)).rejects.toBeInstanceOf(NotFoundError);
    expect(await h.driver.head(`${to}-gone`)).toBeNull();
  });
});

describe('the local driver closes upload slots', () => {
  let h: LocalHarness;
  beforeAll(async () => {
    h = await startLocalHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const putTo = async (url: string, body: Buffer) => (await fetch(url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: new Uint8Array(body) })).status;

  it('PUTs to a slot work (and can be retried) until it is closed; then 409 and the object is untouched', async () => {
    const v = ids();
    const key = versionArtifactKey({ ...v, file: 'a1-worker.log' });
    const put = await h.driver.presignPut({ key, contentType: 'text/plain', maxBytes: 100, expiresInSeconds: 600, exactSize: false });
    expect(await putTo(put.url, Buffer.from('one'))).toBe(200);
    expect(await putTo(put.url, Buffer.from('two'))).toBe(200);
    await h.driver.closeUploads(key);
    const res = await fetch(put.url, { method: 'PUT', headers: { 'content-type': 'text/plain' }, body: new TextEncoder().encode('three') });
    expect(res.status).toBe(409);
    expect((await res.json()).error.code).toBe('conflict');
    expect((await h.driver.getBytes(key)).toString()).toBe('two');
    // A closed slot whose object was deleted stays closed.
    await h.driver.delete(key);
    expect(await putTo(put.url, Buffer.from('four'))).toBe(409);
    expect(await h.driver.head(key)).toBeNull();
    // The close marker is bookkeeping: not listed, and purged with its prefix.
    const listed: string[] = [];
    for await (const o of h.driver.list(`ws/${v.workspaceId}/`)) listed.push(o.key);
    expect(listed).toEqual([]);
    await h.driver.deletePrefix(`ws/${v.workspaceId}/`);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(h.rootDir + '/ws').catch(() => [])).not.toContain(v.workspaceId);
  });
});

import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { getStorage } from '@/server/storage';
import { streamFilesZip } from '@/server/versions/zip';

const drain = async (body: ReadableStream<Uint8Array>) => {
  let n = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return n;
    n += value.length;
  }
};

describe('streamed version zip', () => {
  const key = 'ws/ws_ziptest/models/lm_ziptest/versions/ver_ziptest/a1-adapter_model.safetensors';
  const bytes = randomBytes(3 * 1024 * 1024 + 17);

  it('declares its exact size up front and streams that many bytes', async () => {
    await getStorage().driver.putStream(key, bytes, { contentType: 'application/octet-stream', maxBytes: bytes.length });
    const z = streamFilesZip('ada-v1', [{ name: 'adapter_model.safetensors', key, bytes: bytes.length, sha256: null }], 'readme\n');
    expect(z.bytes).toBeGreaterThan(bytes.length);
    expect(await drain(z.body)).toBe(z.bytes);
  });

  it('an object whose size differs from the record, or a missing one, errors the stream instead of ending it', async () => {
    await getStorage().driver.putStream(key, bytes, { contentType: 'application/octet-stream', maxBytes: bytes.length });
    const short = streamFilesZip('ada-v1', [{ name: 'adapter_model.safetensors', key, bytes: 100, sha256: null }], 'r');
    await expect(drain(short.body)).rejects.toThrow(/unexpected number of bytes/);
    const missing = streamFilesZip('ada-v1', [{ name: 'adapter_model.safetensors', key: `${key}.gone`, bytes: 100, sha256: null }], 'r');
    await expect(drain(missing.body)).rejects.toThrow();
  });
});

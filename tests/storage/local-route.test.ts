// The local driver's signed-URL route over real loopback HTTP: the acceptance of issue 2
// ("a tampered or expired local signed URL → 403, an upload over its byte limit → 413,
// and nothing is written"), plus method, content type, Range and HEAD.
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '@/server/ids';
import { datasetUploadKey } from '@/server/storage/keys';
import { handleLocalStorageRequest } from '@/server/storage/local-route';
import { signLocalToken } from '@/server/storage/local-signing';
import { SIGNING_KEY, startLocalHarness, type LocalHarness } from './helpers/local-server.ts';

let h: LocalHarness;
beforeAll(async () => {
  h = await startLocalHarness();
});
afterAll(async () => {
  await h?.stop();
});

const newKey = (filename = 'face.jpg') =>
  datasetUploadKey({ workspaceId: newId('workspace'), datasetId: newId('dataset'), uploadId: newId('upload'), filename });

/** Every file under the storage root, bookkeeping included. */
async function allFiles(dir = h.rootDir): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await allFiles(full)));
    else out.push(path.relative(h.rootDir, full));
  }
  return out;
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
}

/** Replaces one character of the token's payload or signature part. */
function tamper(url: string, part: 0 | 1): string {
  const token = url.slice(url.lastIndexOf('/') + 1);
  const pieces = token.split('.') as [string, string];
  const s = pieces[part];
  const i = Math.floor(s.length / 2);
  pieces[part] = s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
  return url.slice(0, url.lastIndexOf('/') + 1) + pieces.join('.');
}

async function storedObject(key: string, bytes: Buffer, contentType = 'image/jpeg') {
  await h.driver.putStream(key, bytes, { contentType, maxBytes: bytes.length });
  return (await h.driver.presignGet({ key, expiresInSeconds: 300 })).url;
}

describe('signed PUT', () => {
  it('stores exactly what was sent, with the signed content type', async () => {
    const key = newKey();
    const body = randomBytes(2048);
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 4096, expiresInSeconds: 60 });
    expect(put.url.startsWith(`${h.baseUrl}/api/storage/local/`)).toBe(true);
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    expect((await h.driver.getBytes(key)).equals(body)).toBe(true);
    expect((await h.driver.head(key))?.contentType).toBe('image/jpeg');
  });

  it('a tampered token → 403 and nothing written', async () => {
    for (const part of [0, 1] as const) {
      const key = newKey();
      const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 60 });
      const res = await fetch(tamper(put.url, part), { method: 'PUT', headers: put.headers, body: randomBytes(10) });
      await expectError(res, 403, 'forbidden');
      expect(await h.driver.head(key)).toBeNull();
    }
  });

  it('a token re-pointed at another key, or signed with another secret → 403', async () => {
    const key = newKey();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 60 });
    const [payload, sig] = put.url.slice(put.url.lastIndexOf('/') + 1).split('.') as [string, string];
    const decoded = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const other = newKey();
    const swapped = Buffer.from(JSON.stringify({ ...decoded, key: other, maxBytes: 10 ** 9 })).toString('base64url');
    await expectError(await fetch(`${h.baseUrl}/api/storage/local/${swapped}.${sig}`, { method: 'PUT', headers: put.headers, body: 'x' }), 403, 'forbidden');
    const foreign = signLocalToken({ v: 1, key: other, method: 'PUT', contentType: 'image/jpeg', maxBytes: 100, exp: Math.floor(Date.now() / 1000) + 60 }, 'another-secret-another-secret-another-secret');
    await expectError(await fetch(`${h.baseUrl}/api/storage/local/${foreign}`, { method: 'PUT', headers: put.headers, body: 'x' }), 403, 'forbidden');
    for (const garbage of ['abc', 'a.b.c', 'x.', '.y', '%00.%00', `${payload}.${sig}x`]) {
      await expectError(await fetch(`${h.baseUrl}/api/storage/local/${garbage}`, { method: 'PUT', body: 'x' }), 403, 'forbidden');
    }
    expect(await h.driver.head(other)).toBeNull();
  });

  it('an expired token → 403 and nothing written', async () => {
    const key = newKey();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 60 });
    h.clock.now = put.expiresAt.getTime(); // the first instant it is no longer valid
    try {
      const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: randomBytes(10) });
      await expectError(res, 403, 'forbidden');
    } finally {
      h.clock.now = null;
    }
    expect(await h.driver.head(key)).toBeNull();
    h.clock.now = put.expiresAt.getTime() - 1000; // one second earlier it still works
    try {
      expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body: randomBytes(10) })).status).toBe(200);
    } finally {
      h.clock.now = null;
    }
  });

  it('a body over the limit (Content-Length) → 413, no file, no temp file', async () => {
    const key = newKey();
    const before = await allFiles();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 1000, expiresInSeconds: 60 });
    for (const size of [1001, 5 * 1024 * 1024]) {
      const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body: randomBytes(size) });
      await expectError(res, 413, 'payload_too_large');
    }
    expect(await h.driver.head(key)).toBeNull();
    expect(await allFiles()).toEqual(before);
    // exactly at the limit is fine
    expect((await fetch(put.url, { method: 'PUT', headers: put.headers, body: randomBytes(1000) })).status).toBe(200);
  });

  it('a chunked body that grows past the limit → 413, no file, no temp file', async () => {
    const key = newKey();
    const before = await allFiles();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100_000, expiresInSeconds: 60 });
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent >= 300_000) return c.close();
        sent += 30_000;
        c.enqueue(randomBytes(30_000));
      },
    });
    const res = await fetch(put.url, { method: 'PUT', headers: put.headers, body, duplex: 'half' } as RequestInit);
    await expectError(res, 413, 'payload_too_large');
    expect(await h.driver.head(key)).toBeNull();
    expect(await allFiles()).toEqual(before);
  });

  it('a Content-Length that understates the body does not get past the counter', async () => {
    const key = newKey();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 1000, expiresInSeconds: 60 });
    const token = put.url.slice(put.url.lastIndexOf('/') + 1);
    const request = new Request(put.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'content-length': '10' },
      body: new Blob([randomBytes(5000)]).stream(),
      duplex: 'half',
    } as RequestInit);
    const res = await handleLocalStorageRequest(request, token, { driver: h.driver, signingKey: SIGNING_KEY });
    await expectError(res, 413, 'payload_too_large');
    expect(await h.driver.head(key)).toBeNull();
  });

  it('a body cut short of its Content-Length (e.g. by a buffering proxy) is refused, not published', async () => {
    const key = newKey();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 1000, expiresInSeconds: 60 });
    const token = put.url.slice(put.url.lastIndexOf('/') + 1);
    const request = new Request(put.url, {
      method: 'PUT',
      headers: { 'content-type': 'image/jpeg', 'content-length': '1000' },
      body: new Blob([randomBytes(600)]).stream(),
      duplex: 'half',
    } as RequestInit);
    const res = await handleLocalStorageRequest(request, token, { driver: h.driver, signingKey: SIGNING_KEY });
    await expectError(res, 400, 'bad_request');
    expect(await h.driver.head(key)).toBeNull();
  });

  it('a refused oversize upload leaves the previous object intact', async () => {
    const key = newKey();
    const original = randomBytes(50);
    await h.driver.putStream(key, original, { contentType: 'image/jpeg', maxBytes: 50 });
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 60 });
    await expectError(await fetch(put.url, { method: 'PUT', headers: put.headers, body: randomBytes(101) }), 413, 'payload_too_large');
    expect((await h.driver.getBytes(key)).equals(original)).toBe(true);
  });

  it('the wrong content type → 403, nothing written', async () => {
    const key = newKey();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 60 });
    await expectError(await fetch(put.url, { method: 'PUT', headers: { 'content-type': 'text/html' }, body: '<script>' }), 403, 'forbidden');
    expect(await h.driver.head(key)).toBeNull();
  });

  it('a PUT link used for GET, or a GET link used for PUT → 403', async () => {
    const key = newKey();
    const put = await h.driver.presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 60 });
    await expectError(await fetch(put.url), 403, 'forbidden');
    const get = await storedObject(key, randomBytes(20));
    await expectError(await fetch(get, { method: 'PUT', headers: { 'content-type': 'image/jpeg' }, body: randomBytes(10) }), 403, 'forbidden');
    await expectError(await fetch(get, { method: 'DELETE' }), 403, 'forbidden');
    expect((await h.driver.head(key))?.bytes).toBe(20);
  });
});

describe('signed GET', () => {
  it('serves Range requests: a-b, a-, -n, unsatisfiable, several ranges', async () => {
    const body = randomBytes(100);
    const url = await storedObject(newKey(), body);
    const range = (r: string) => fetch(url, { headers: { range: r } });

    let res = await range('bytes=10-19');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 10-19/100');
    expect(res.headers.get('content-length')).toBe('10');
    expect(Buffer.from(await res.arrayBuffer()).equals(body.subarray(10, 20))).toBe(true);

    res = await range('bytes=90-');
    expect(res.headers.get('content-range')).toBe('bytes 90-99/100');
    expect(Buffer.from(await res.arrayBuffer()).equals(body.subarray(90))).toBe(true);

    res = await range('bytes=-5');
    expect(res.headers.get('content-range')).toBe('bytes 95-99/100');
    expect(Buffer.from(await res.arrayBuffer()).equals(body.subarray(95))).toBe(true);

    res = await range('bytes=50-500'); // end past the object: clamped
    expect(res.headers.get('content-range')).toBe('bytes 50-99/100');
    await res.arrayBuffer();

    res = await range('bytes=100-');
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */100');
    await res.arrayBuffer();

    res = await range('bytes=0-1,5-6'); // not supported: the whole object
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(body)).toBe(true);
  });

  it('answers HEAD with headers only, and If-None-Match with 304', async () => {
    const url = await storedObject(newKey(), randomBytes(64), 'image/png');
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('64');
    expect(head.headers.get('content-type')).toBe('image/png');
    expect(head.headers.get('accept-ranges')).toBe('bytes');
    expect(head.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await head.arrayBuffer()).byteLength).toBe(0);
    const etag = head.headers.get('etag')!;
    expect((await fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });

  it('sets Content-Disposition only when a download name was signed', async () => {
    const key = newKey('adapter.safetensors');
    await storedObject(key, randomBytes(8), 'application/octet-stream');
    const plain = await fetch((await h.driver.presignGet({ key, expiresInSeconds: 60 })).url);
    expect(plain.headers.get('content-disposition')).toBeNull();
    await plain.arrayBuffer();
    const named = await fetch((await h.driver.presignGet({ key, expiresInSeconds: 60, downloadName: 'Zoë "v2".safetensors' })).url);
    expect(named.headers.get('content-disposition')).toBe(`attachment; filename="Zo_ v2.safetensors"; filename*=UTF-8''Zo%C3%AB%20v2.safetensors`);
    await named.arrayBuffer();
  });

  it('an expired or tampered GET link → 403; a missing object → 404', async () => {
    const key = newKey();
    const url = await storedObject(key, randomBytes(10));
    await expectError(await fetch(tamper(url, 1)), 403, 'forbidden');
    h.clock.now = Date.now() + 301_000;
    try {
      await expectError(await fetch(url), 403, 'forbidden');
    } finally {
      h.clock.now = null;
    }
    await h.driver.delete(key);
    await expectError(await fetch(url), 404, 'not_found');
  });

  it('a validly signed token for a traversal key is still refused', async () => {
    for (const key of ['../../etc/passwd', 'ws/../../x', '/etc/passwd']) {
      const token = signLocalToken({ v: 1, key, method: 'GET', exp: Math.floor(Date.now() / 1000) + 60 }, SIGNING_KEY);
      await expectError(await fetch(`${h.baseUrl}/api/storage/local/${token}`), 403, 'forbidden');
    }
  });
});

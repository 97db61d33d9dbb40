// Local-storage signed URLs (issue #11 "attacks that held"), through the app's own route
// (/api/storage/local/[token]) and the app's storage on this file's temp DATA_DIR: a token
// grants exactly one method on one key, with one content type and byte limit, until it
// expires. Every tampered field, a foreign or altered signature, an expired token, a token
// used for another method, and traversal in keys or in the token path → refused (403; 413
// over the limit) with the one error shape — and nothing is written or served.
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import * as localRoute from '@/app/api/storage/local/[token]/route';
import { env } from '@/env';
import { newId } from '@/server/ids';
import { getStorage } from '@/server/storage';
import { datasetUploadKey } from '@/server/storage/keys';
import { signLocalToken, type LocalTokenPayload } from '@/server/storage/local-signing';
import { expectError } from './helpers.ts';

type Method = 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
const handlers = localRoute as unknown as Record<string, ((r: Request, c: { params: Promise<{ token: string }> }) => Promise<Response>) | undefined>;

/** A request to /api/storage/local/<token> through the exported handler, as Next would route it. */
async function hit(token: string, method: Method, o: { body?: Buffer; contentType?: string } = {}) {
  const handler = handlers[method];
  if (!handler) return { status: 405, body: null }; // Next answers 405 for a method the route does not export
  const headers: Record<string, string> = {};
  if (o.contentType) headers['content-type'] = o.contentType;
  if (o.body) headers['content-length'] = String(o.body.length);
  const res = await handler(new Request(`http://localhost:3000/api/storage/local/${token}`, { method, headers, body: o.body ? new Uint8Array(o.body) : undefined }), { params: Promise.resolve({ token }) });
  const bytes = Buffer.from(await res.arrayBuffer());
  let body: any = bytes;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    /* object bytes */
  }
  return { status: res.status, body, bytes };
}

const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);
const decode = (token: string) => JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as LocalTokenPayload;
/** The payload changed, the original signature kept: what an attacker can do without the key. */
const reforge = (token: string, patch: Record<string, unknown>) => `${Buffer.from(JSON.stringify({ ...decode(token), ...patch })).toString('base64url')}.${token.split('.')[1]}`;
const nowSeconds = () => Math.floor(Date.now() / 1000);
const newKey = (ws = newId('workspace')) => datasetUploadKey({ workspaceId: ws, datasetId: newId('dataset'), uploadId: newId('upload'), filename: 'face.jpg' });

const storage = () => getStorage().driver;
const SECRET_BYTES = randomBytes(64);
let getKey: string;
let getToken: string;
let putKey: string;
let putToken: string;
let otherKey: string;

beforeAll(async () => {
  getKey = newKey();
  await storage().putStream(getKey, SECRET_BYTES, { contentType: 'image/jpeg', maxBytes: SECRET_BYTES.length });
  getToken = tokenOf((await storage().presignGet({ key: getKey, expiresInSeconds: 300 })).url);
  putKey = newKey();
  putToken = tokenOf((await storage().presignPut({ key: putKey, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 300 })).url);
  otherKey = newKey();
  await storage().putStream(otherKey, Buffer.from('another object'), { contentType: 'image/jpeg', maxBytes: 14 });
});

/** Nothing of a refused request may show: the PUT target is absent and both stored objects are intact. */
async function expectUntouched() {
  expect(await storage().head(putKey)).toBeNull();
  expect((await storage().getBytes(getKey)).equals(SECRET_BYTES)).toBe(true);
  expect((await storage().getBytes(otherKey)).toString()).toBe('another object');
}

describe('signed URLs: the genuine tokens work (so every refusal below is the check, not a broken setup)', () => {
  it('GET serves the object; a PUT within its limits would store (checked on a throwaway key)', async () => {
    const got = await hit(getToken, 'GET');
    expect(got.status).toBe(200);
    expect(got.bytes!.equals(SECRET_BYTES)).toBe(true);
    const key = newKey();
    const put = tokenOf((await storage().presignPut({ key, contentType: 'image/jpeg', maxBytes: 100, expiresInSeconds: 300 })).url);
    expect((await hit(put, 'PUT', { body: randomBytes(50), contentType: 'image/jpeg' })).status).toBe(200);
    expect((await storage().head(key))?.bytes).toBe(50);
  });
});

describe('signed URLs: tampering and misuse', () => {
  const tampered: [string, () => string, Method, { body?: Buffer; contentType?: string }?][] = [
    ['GET token re-pointed at another key', () => reforge(getToken, { key: otherKey }), 'GET'],
    ['GET token with a later expiry', () => reforge(getToken, { exp: nowSeconds() + 86_400 }), 'GET'],
    ['GET token turned into a PUT token', () => reforge(getToken, { method: 'PUT', contentType: 'image/jpeg', maxBytes: 100 }), 'PUT', { body: randomBytes(10), contentType: 'image/jpeg' }],
    ['GET token with a download name added', () => reforge(getToken, { downloadName: 'x.html' }), 'GET'],
    ['PUT token re-pointed at an existing object', () => reforge(putToken, { key: getKey }), 'PUT', { body: randomBytes(10), contentType: 'image/jpeg' }],
    ['PUT token with a larger byte limit', () => reforge(putToken, { maxBytes: 10_000 }), 'PUT', { body: randomBytes(1000), contentType: 'image/jpeg' }],
    ['PUT token with another content type', () => reforge(putToken, { contentType: 'text/html' }), 'PUT', { body: Buffer.from('<script>alert(1)</script>'), contentType: 'text/html' }],
    ['PUT token with a later expiry', () => reforge(putToken, { exp: nowSeconds() + 86_400 }), 'PUT', { body: randomBytes(10), contentType: 'image/jpeg' }],
    ['signature changed by one character', () => { const [p, s] = getToken.split('.') as [string, string]; return `${p}.${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`; }, 'GET'],
    ['signature of another genuine token', () => `${getToken.split('.')[0]}.${putToken.split('.')[1]}`, 'GET'],
    ['signed with another secret', () => signLocalToken({ v: 1, key: getKey, method: 'GET', exp: nowSeconds() + 60 }, randomBytes(32).toString('hex')), 'GET'],
    ['no signature at all', () => getToken.split('.')[0]!, 'GET'],
    ['expired (genuinely signed, exp one second ago)', () => signLocalToken({ v: 1, key: getKey, method: 'GET', exp: nowSeconds() - 1 }, env().STORAGE_SIGNING_KEY), 'GET'],
    ['expired PUT (genuinely signed)', () => signLocalToken({ v: 1, key: putKey, method: 'PUT', contentType: 'image/jpeg', maxBytes: 100, exp: nowSeconds() - 1 }, env().STORAGE_SIGNING_KEY), 'PUT', { body: randomBytes(10), contentType: 'image/jpeg' }],
    ['GET token used for PUT', () => getToken, 'PUT', { body: randomBytes(10), contentType: 'image/jpeg' }],
    ['PUT token used for GET', () => putToken, 'GET'],
    ['PUT token used for HEAD', () => putToken, 'HEAD'],
    ['PUT token with the wrong Content-Type', () => putToken, 'PUT', { body: Buffer.from('<script>alert(1)</script>'), contentType: 'text/html' }],
  ];

  it.each(tampered)('%s → 403, nothing written or served', async (_label, token, method, o) => {
    const res = await hit(token(), method, o);
    expectError(res, 403, 'forbidden');
    expect(res.bytes!.includes(SECRET_BYTES)).toBe(false);
    await expectUntouched();
  });

  it('over the byte limit → 413 and nothing written; methods the route does not export do not exist', async () => {
    expectError(await hit(putToken, 'PUT', { body: randomBytes(101), contentType: 'image/jpeg' }), 413, 'payload_too_large');
    for (const m of ['POST', 'DELETE'] as const) expect((await hit(getToken, m)).status).toBe(405);
    await expectUntouched();
  });
});

describe('signed URLs: path traversal', () => {
  // Genuinely signed with the server's key: only the key rules stand between them and the disk.
  const KEYS = ['../../etc/passwd', 'ws/../../../etc/passwd', '/etc/passwd', 'ws/a/%2e%2e/%2e%2e/x', '%2e%2e/secrets.json', '..%2fsecrets.json', 'ws/a/./b', 'ws//a', 'ws/a/.meta.json', 'ws\\..\\..\\x', 'ws/a/b.parts/u/part-1', 'secrets.json/..'];

  it.each(KEYS)('a validly signed token for key %j → 403', async (key) => {
    for (const method of ['GET', 'PUT'] as const) {
      const token = signLocalToken({ v: 1, key, method, exp: nowSeconds() + 60, ...(method === 'PUT' ? { contentType: 'image/jpeg', maxBytes: 100 } : {}) }, env().STORAGE_SIGNING_KEY);
      const res = await hit(token, method, method === 'PUT' ? { body: randomBytes(10), contentType: 'image/jpeg' } : {});
      expectError(res, 403, 'forbidden');
    }
    await expectUntouched();
  });

  it('traversal in the token itself (encoded or not) → 403', async () => {
    for (const token of ['..', '..%2F..%2Fsecrets.json', '%2e%2e%2f%2e%2e%2fsecrets.json', `${getToken}%2F..`, `..%2F${getToken}`, '....//....//secrets.json']) {
      const res = await hit(token, 'GET');
      expectError(res, 403, 'forbidden');
    }
  });
});

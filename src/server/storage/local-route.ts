// Serves the local driver's signed URLs (GET/HEAD/PUT /api/storage/local/<token>). The
// token is the only credential: it is checked (MAC, expiry, method, content type, byte
// limit) before anything is read or written, and an upload over its limit is refused
// with 413 leaving nothing behind (the driver stages to a temp file, see local-files.ts).
import { Readable } from 'node:stream';
import { AppError, ConflictError, ForbiddenError, NotFoundError, PayloadTooLargeError, BadRequestError } from '@/server/errors';
import { checkedStream } from './checked-stream.ts';
import { isSealedKey } from './key-rules.ts';
import { attachmentDisposition } from './limits.ts';
import type { LocalStorageDriver } from './local.ts';
import { verifyLocalToken, type LocalTokenPayload, type SigningKey } from './local-signing.ts';
import { parseRangeHeader } from './range.ts';

export interface LocalRouteOptions {
  driver: LocalStorageDriver;
  signingKey: SigningKey;
  /** Clock (tests); defaults to Date.now. */
  now?: () => number;
}

function errorResponse(status: number, code: string, message: string, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify({ error: { code, message } }), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

const fromAppError = (e: AppError) => errorResponse(e.status, e.code, e.message);

const DENIED: Record<'malformed' | 'bad_signature' | 'expired', string> = {
  malformed: 'This storage link is not valid.',
  bad_signature: 'This storage link is not valid.',
  expired: 'This storage link has expired.',
};

export async function handleLocalStorageRequest(request: Request, token: string, options: LocalRouteOptions): Promise<Response> {
  const now = options.now ?? Date.now;
  const verified = verifyLocalToken(token, options.signingKey, now());
  if (!verified.ok) return errorResponse(403, 'forbidden', DENIED[verified.reason]);
  const payload = verified.payload;
  const method = request.method.toUpperCase();
  const allowed = payload.method === 'GET' ? method === 'GET' || method === 'HEAD' : method === 'PUT';
  if (!allowed) return errorResponse(403, 'forbidden', `This storage link was signed for ${payload.method}, not ${method}.`);
  try {
    return payload.method === 'GET' ? await serveObject(request, payload, options.driver, now) : await receiveUpload(request, payload, options.driver);
  } catch (e) {
    if (e instanceof AppError) return fromAppError(e);
    throw e;
  }
}

async function serveObject(request: Request, payload: LocalTokenPayload, driver: LocalStorageDriver, now: () => number): Promise<Response> {
  const head = await driver.head(payload.key);
  if (!head) throw new NotFoundError('Object');
  const headers: Record<string, string> = {
    'content-type': head.contentType,
    etag: head.etag,
    'last-modified': head.lastModified.toUTCString(),
    // A checked link (payload.sha256) serves whole objects only: a range cannot be hashed.
    'accept-ranges': payload.sha256 ? 'none' : 'bytes',
    'cache-control': `private, max-age=${Math.max(0, Math.min(3600, payload.exp - Math.floor(now() / 1000)))}`,
    // User-supplied bytes served from the app's own origin: never sniffed, never scripted.
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; sandbox",
  };
  if (payload.downloadName) headers['content-disposition'] = attachmentDisposition(payload.downloadName);
  if (request.headers.get('if-none-match') === head.etag) return new Response(null, { status: 304, headers });

  const range = payload.sha256 ? ({ kind: 'none' } as const) : parseRangeHeader(request.headers.get('range'), head.bytes);
  if (range.kind === 'unsatisfiable') {
    return errorResponse(416, 'range_not_satisfiable', 'The requested range is outside the object.', { 'content-range': `bytes */${head.bytes}` });
  }
  const partial = range.kind === 'range';
  const length = partial ? range.end - range.start + 1 : head.bytes;
  headers['content-length'] = String(length);
  if (partial) headers['content-range'] = `bytes ${range.start}-${range.end}/${head.bytes}`;
  const status = partial ? 206 : 200;
  if (request.method.toUpperCase() === 'HEAD' || length === 0) return new Response(null, { status, headers });
  const raw = await driver.getStream(payload.key, partial ? { start: range.start, end: range.end } : undefined);
  const stream = payload.sha256 ? checkedStream(raw, { sha256: payload.sha256, bytes: head.bytes }, 'The stored object') : raw;
  return new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, { status, headers });
}

/** Media types compare without case and without spaces around parameters. */
const normalizeType = (t: string | null) => (t ?? '').toLowerCase().replace(/\s*;\s*/g, ';').trim();

async function receiveUpload(request: Request, payload: LocalTokenPayload, driver: LocalStorageDriver): Promise<Response> {
  // No token is ever signed for a sealed key; refuse one anyway (a signing key shared with an older build).
  if (isSealedKey(payload.key)) throw new ForbiddenError('Verified objects cannot be uploaded to.');
  // Single use once verified: a slot whose object the control plane copied and sealed takes
  // no more uploads, even with a token that has not expired (worker retries before that work).
  if (await driver.uploadsClosed(payload.key)) {
    throw new ConflictError('This upload slot is closed: what was uploaded here has been verified and sealed.');
  }
  const maxBytes = payload.maxBytes ?? 0;
  if (!payload.part && normalizeType(request.headers.get('content-type')) !== normalizeType(payload.contentType ?? null)) {
    throw new ForbiddenError('The Content-Type does not match the one this upload link was signed for.');
  }
  const declared = request.headers.get('content-length');
  let expectedBytes: number | undefined;
  if (declared !== null) {
    if (!/^\d+$/.test(declared.trim())) throw new BadRequestError('Invalid Content-Length.');
    expectedBytes = Number(declared);
    // Refuse before reading a byte; the streaming counter still guards chunked bodies.
    if (expectedBytes > maxBytes) throw new PayloadTooLargeError(`The upload is larger than the ${maxBytes}-byte limit of this link.`);
  }
  const body = request.body ?? new Uint8Array(0);
  const limits = { maxBytes, ...(expectedBytes !== undefined ? { expectedBytes } : {}) };
  const etag = payload.part
    ? await driver.putPart(payload.key, payload.part.uploadId, payload.part.partNumber, body, limits)
    : (await driver.putStream(payload.key, body, { contentType: payload.contentType ?? 'application/octet-stream', ...limits })).etag;
  return new Response(null, { status: 200, headers: { etag, 'cache-control': 'no-store' } });
}

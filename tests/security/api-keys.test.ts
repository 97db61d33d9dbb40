// Issue #11 / #8: the app's schema allowed 64-character key names while Better Auth capped them
// at 32 and its APIError was not mapped (500). And Better Auth's own /api/auth/api-key/* (and
// organization) routes were reachable directly, creating keys without the app's audit row,
// rate limit or workspace binding.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as meRoute from '@/app/api/me/route';
import { handleAuthRequest } from '@/server/auth/handler';
import { getDb, tables } from '@/server/db';
import { errorToResponse } from '@/server/http/errors-response';
import { logger } from '@/server/http/logger';
import { APIError } from 'better-auth/api';
import { call } from '../helpers/http.ts';
import { signUp } from '../helpers/users.ts';

const authPost = (r: Request) => handleAuthRequest(r, 'POST');
const authGet = (r: Request) => handleAuthRequest(r, 'GET');
const keysOf = async (userId: string) => (await getDb()).select().from(tables.apikey).where(eq(tables.apikey.referenceId, userId));

describe('API key names: the schema and the auth library agree', () => {
  for (const length of [1, 32, 33, 64]) {
    it(`a ${length}-character name → 201, stored whole, usable`, async () => {
      const u = await signUp();
      const name = 'k'.repeat(length);
      const res = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name } });
      expect(res.status).toBe(201);
      expect(res.body.name).toBe(name);
      expect((await call(meRoute.GET, '/api/me', { apiKey: res.body.key })).status).toBe(200);
    });
  }

  it('65 characters → 422 naming the field, and no key is created', async () => {
    const u = await signUp();
    const res = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: 'k'.repeat(65) } });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('name');
    expect(await keysOf(u.userId)).toHaveLength(0);
  });

  it("an auth-library error thrown inside a service keeps its status in the house error shape (never 500)", async () => {
    const cases = [
      { err: new APIError('BAD_REQUEST', { message: 'Name too long', code: 'INVALID_NAME_LENGTH' }), status: 400, code: 'bad_request' },
      { err: new APIError('UNAUTHORIZED', { message: 'No session' }), status: 401, code: 'unauthorized' },
      { err: new APIError('FORBIDDEN', { message: 'Nope' }), status: 403, code: 'forbidden' },
      { err: new APIError('NOT_FOUND', { message: 'Gone' }), status: 404, code: 'not_found' },
      { err: new APIError('TOO_MANY_REQUESTS', { message: 'Slow down' }), status: 429, code: 'rate_limit_exceeded' },
      { err: new APIError('UNPROCESSABLE_ENTITY', { message: 'User exists', code: 'USER_ALREADY_EXISTS' }), status: 422, code: 'unprocessable_entity' },
    ];
    for (const c of cases) {
      const res = errorToResponse(c.err, 'req_test', logger());
      const body = (await res.json()) as { error: { code: string; message: string; details?: { auth_code?: string } } };
      expect(res.status).toBe(c.status);
      expect(body.error.code).toBe(c.code);
      expect(body.error.message).toBe(c.err.body!.message);
      if (c.err.body?.code) expect(body.error.details?.auth_code).toBe(c.err.body.code);
    }
  });
});

describe("Better Auth's key and organization routes are not reachable by clients", () => {
  it('POST /api/auth/api-key/create with a valid session → refused, and no key is created', async () => {
    const u = await signUp();
    for (const path of ['/api/auth/api-key/create', '/api/auth/api-key/create/', '/api/auth//api-key/create', '/api/auth/API-KEY/create', '/api/auth/api-key%2Fcreate']) {
      const res = await call(authPost, path, { cookie: u.cookie, body: { name: 'sneaky' } });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
    expect(await keysOf(u.userId)).toHaveLength(0);
    // Nor through the app's audit trail: nothing was recorded for this user.
    const audits = await (await getDb()).select().from(tables.auditLog).where(eq(tables.auditLog.actorId, u.userId));
    expect(audits.filter((a) => a.action.startsWith('api_key'))).toHaveLength(0);
  });

  it('the other api-key routes (list, get, update, delete) → 404 as well', async () => {
    const u = await signUp();
    const created = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: 'real one' } });
    expect(created.status).toBe(201);
    expect((await call(authGet, '/api/auth/api-key/list', { cookie: u.cookie })).status).toBe(404);
    expect((await call(authGet, `/api/auth/api-key/get?id=${created.body.id}`, { cookie: u.cookie })).status).toBe(404);
    expect((await call(authPost, '/api/auth/api-key/update', { cookie: u.cookie, body: { keyId: created.body.id, name: 'renamed', enabled: true } })).status).toBe(404);
    expect((await call(authPost, '/api/auth/api-key/delete', { cookie: u.cookie, body: { keyId: created.body.id } })).status).toBe(404);
    const [row] = await keysOf(u.userId);
    expect(row).toMatchObject({ id: created.body.id, name: 'real one' });
  });

  it('organization routes that would create or delete workspaces or change membership → 404', async () => {
    const u = await signUp();
    const me = await call(meRoute.GET, '/api/me', { cookie: u.cookie });
    const ws = me.body.workspace.id as string;
    const before = await (await getDb()).select().from(tables.organization);
    const create = await call(authPost, '/api/auth/organization/create', { cookie: u.cookie, body: { name: 'Side workspace', slug: `side-${Date.now()}` } });
    expect(create.status).toBe(404);
    const del = await call(authPost, '/api/auth/organization/delete', { cookie: u.cookie, body: { organizationId: ws } });
    expect(del.status).toBe(404);
    const invite = await call(authPost, '/api/auth/organization/invite-member', { cookie: u.cookie, body: { email: 'x@example.test', role: 'owner', organizationId: ws } });
    expect(invite.status).toBe(404);
    expect(await (await getDb()).select().from(tables.organization)).toHaveLength(before.length);
    // Sign-in, sign-out and the session stay served.
    expect((await call(authGet, '/api/auth/get-session', { cookie: u.cookie })).status).toBe(200);
  });

  it('a body past 64 KiB to any /api/auth route → 413 before the library reads it, declared or streamed', async () => {
    const big = JSON.stringify({ email: `big-${Date.now()}@example.test`, password: 'correct-horse-42', name: 'x'.repeat(70 * 1024) });
    const declared = await call(authPost, '/api/auth/sign-up/email', { rawBody: big });
    expect(declared.status).toBe(413);
    const streamed = await handleAuthRequest(
      new Request('http://localhost:3000/api/auth/sign-up/email', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' },
        body: new ReadableStream({ start(c) { for (let i = 0; i < 8; i++) c.enqueue(new TextEncoder().encode('name=' + 'y'.repeat(10 * 1024) + '&')); c.close(); } }),
        duplex: 'half',
      } as RequestInit),
      'POST',
    );
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('update-user (an unaudited rewrite of name and image the app never uses) → 404, the user unchanged', async () => {
    const u = await signUp();
    const [before] = await (await getDb()).select().from(tables.user).where(eq(tables.user.id, u.userId));
    for (const path of ['/api/auth/update-user', '/api/auth/Update-User', '/api/auth//update-user/']) {
      const res = await call(authPost, path, { cookie: u.cookie, body: { name: 'renamed', image: 'https://tracker.example/p.png' } });
      expect(res.status, path).toBe(404);
    }
    const [after] = await (await getDb()).select().from(tables.user).where(eq(tables.user.id, u.userId));
    expect(after).toMatchObject({ name: before!.name, image: before!.image });
  });
});

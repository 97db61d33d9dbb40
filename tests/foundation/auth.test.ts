import { describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as keyRoute from '@/app/api/api-keys/[id]/route';
import * as meRoute from '@/app/api/me/route';
import { getDb, tables } from '@/server/db';
import { eq } from 'drizzle-orm';
import { call, cookieFrom } from '../helpers/http.ts';
import { logIn, signUp } from '../helpers/users.ts';

describe('sign-up → log-in → an authenticated route', () => {
  it('creates a personal workspace and serves /api/me to the session', async () => {
    const u = await signUp('Ada');
    const login = await logIn(u.email, u.password);
    expect(login.status).toBe(200);
    const cookie = cookieFrom(login.headers);
    expect(cookie).toMatch(/session_token=/);

    const me = await call(meRoute.GET, '/api/me', { cookie });
    expect(me.status).toBe(200);
    expect(me.body.actor).toEqual({ type: 'user', user_id: u.userId });
    expect(me.body.workspace.id).toMatch(/^ws_/);
    expect(me.body.plan.id).toBe('free');

    const db = await getDb();
    const members = await db.select().from(tables.member).where(eq(tables.member.userId, u.userId));
    expect(members).toHaveLength(1);
    expect(members[0]!.role).toBe('owner');
  });

  it('refuses a wrong password and an anonymous call', async () => {
    const u = await signUp();
    const bad = await logIn(u.email, 'not-the-password');
    expect(bad.status).toBe(401);
    const anon = await call(meRoute.GET, '/api/me');
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe('unauthorized');
  });

  it('accepts an API key created by the user, scoped to their workspace', async () => {
    const u = await signUp();
    const created = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: 'integration' } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^lsk_/);
    const me = await call(meRoute.GET, '/api/me', { apiKey: created.body.key });
    expect(me.status).toBe(200);
    expect(me.body.actor.type).toBe('apiKey');
    expect(me.body.workspace.id).toBe(created.body.workspace_id);

    const revoked = await call(keyRoute.DELETE, `/api/api-keys/${created.body.id}`, { method: 'DELETE', cookie: u.cookie, params: { id: created.body.id } });
    expect(revoked.status).toBe(200);
    const after = await call(meRoute.GET, '/api/me', { apiKey: created.body.key });
    expect(after.status).toBe(401);
  });

  it('writes an audit row for key creation', async () => {
    const u = await signUp();
    const created = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: 'audited' } });
    const db = await getDb();
    const rows = await db.select().from(tables.auditLog).where(eq(tables.auditLog.targetId, created.body.id));
    expect(rows.map((r) => r.action)).toEqual(['api_key.create']);
    expect(rows[0]!.actorId).toBe(u.userId);
  });
});

describe('workspace scoping', () => {
  it("another workspace's resource answers 404", async () => {
    const alice = await signUp('Alice');
    const bob = await signUp('Bob');
    const key = await call(keysRoute.POST, '/api/api-keys', { cookie: alice.cookie, body: { name: 'alice key' } });
    const res = await call(keyRoute.DELETE, `/api/api-keys/${key.body.id}`, { method: 'DELETE', cookie: bob.cookie, params: { id: key.body.id } });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    const list = await call(keysRoute.GET, '/api/api-keys', { cookie: bob.cookie });
    expect(list.body.data).toEqual([]);
  });

  it('refuses to act in a workspace the caller is not a member of', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const aliceMe = await call(meRoute.GET, '/api/me', { cookie: alice.cookie });
    const res = await call(meRoute.GET, '/api/me', { cookie: bob.cookie, headers: { 'x-workspace-id': aliceMe.body.workspace.id } });
    expect(res.status).toBe(403);
  });
});

describe('request hygiene', () => {
  it('malformed JSON → 422 with a useful message', async () => {
    const u = await signUp();
    const res = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, rawBody: '{"name": "x",' });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('unprocessable_entity');
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it('invalid fields → 422 naming the field', async () => {
    const u = await signUp();
    const res = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: '' } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/"name"/);
    expect(res.body.error.details[0].path).toBe('name');
  });

  it('a cookie-authenticated mutation from another origin → 403', async () => {
    const u = await signUp();
    const res = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: 'x' }, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    const none = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, body: { name: 'x' }, origin: null });
    expect(none.status).toBe(403);
  });

  it('too many sign-in attempts from one IP → 429 with Retry-After', async () => {
    const u = await signUp('Rate', '198.51.100.7');
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await logIn(u.email, 'wrong-password', '198.51.100.7')).status);
    expect(statuses.slice(0, 9).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const last = await logIn(u.email, u.password, '198.51.100.7');
    expect(last.status).toBe(429);
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(last.body.error.code).toBe('rate_limit_exceeded');
    // Another IP is unaffected (another account: this one is now locked after 10 failures,
    // from any address — tests/security/sign-in-brute-force.test.ts).
    const other = await signUp('Rate 2', '198.51.100.8');
    expect((await logIn(other.email, other.password, '198.51.100.8')).status).toBe(200);
  });
});

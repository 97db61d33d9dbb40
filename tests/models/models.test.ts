import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as modelsRoute from '@/app/api/lora/models/route';
import * as modelRoute from '@/app/api/lora/models/[id]/route';
import { getDb, tables } from '@/server/db';
import { call } from '../helpers/http.ts';
import { putOnPlan } from '../helpers/plans.ts';
import { signUp } from '../helpers/users.ts';

const create = (cookie: string, body: unknown) => call(modelsRoute.POST, '/api/lora/models', { cookie, body });

describe('/api/lora/models', () => {
  it('creates an identity LoRA with a generated rare trigger word, and audits it', async () => {
    const u = await signUp();
    const res = await create(u.cookie, { name: 'Ada portrait', kind: 'identity' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Ada portrait', modality: 'image', kind: 'identity' });
    expect(res.body.id).toMatch(/^lm_/);
    expect(res.body.trigger_word).toMatch(/^[a-z]{4}\d$/);
    const db = await getDb();
    const audit = await db.select().from(tables.auditLog).where(eq(tables.auditLog.targetId, res.body.id));
    expect(audit.map((a) => a.action)).toEqual(['model.create']);
  });

  it('bad input → 422 naming the field', async () => {
    const u = await signUp();
    const res = await create(u.cookie, { name: 'x', modality: 'text', kind: 'identity' });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].path).toBe('kind');
    const bad = await create(u.cookie, { name: 'x', trigger_word: '<lora:x:1>' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].path).toBe('trigger_word');
  });

  it('lists with filters and keyset pagination', async () => {
    const u = await signUp();
    await putOnPlan(u, 'pro'); // four LoRAs: more than Free's three
    for (const name of ['one', 'two', 'three']) await create(u.cookie, { name, kind: 'style' });
    await create(u.cookie, { name: 'chatty', modality: 'text', kind: 'chat' });
    const page1 = await call(modelsRoute.GET, '/api/lora/models?limit=2&modality=image', { cookie: u.cookie });
    expect(page1.status).toBe(200);
    expect(page1.body.data.map((m: { name: string }) => m.name)).toEqual(['three', 'two']);
    const page2 = await call(modelsRoute.GET, `/api/lora/models?limit=2&modality=image&cursor=${page1.body.next_cursor}`, { cookie: u.cookie });
    expect(page2.body.data.map((m: { name: string }) => m.name)).toEqual(['one']);
    expect(page2.body.next_cursor).toBeNull();
    const search = await call(modelsRoute.GET, '/api/lora/models?q=chat', { cookie: u.cookie });
    expect(search.body.data.map((m: { name: string }) => m.name)).toEqual(['chatty']);
  });

  it("another workspace's model → 404 for get, patch and delete", async () => {
    const a = await signUp();
    const b = await signUp();
    const m = await create(a.cookie, { name: 'private' });
    const opts = { cookie: b.cookie, params: { id: m.body.id } };
    expect((await call(modelRoute.GET, `/api/lora/models/${m.body.id}`, opts)).status).toBe(404);
    expect((await call(modelRoute.PATCH, `/api/lora/models/${m.body.id}`, { ...opts, method: 'PATCH', body: { name: 'mine' } })).status).toBe(404);
    expect((await call(modelRoute.DELETE, `/api/lora/models/${m.body.id}`, { ...opts, method: 'DELETE' })).status).toBe(404);
    const still = await call(modelRoute.GET, `/api/lora/models/${m.body.id}`, { cookie: a.cookie, params: { id: m.body.id } });
    expect(still.body.name).toBe('private');
  });

  it('patches and soft-deletes; a deleted model is gone from get and list', async () => {
    const u = await signUp();
    const m = await create(u.cookie, { name: 'before' });
    const opts = { cookie: u.cookie, params: { id: m.body.id } };
    const patched = await call(modelRoute.PATCH, `/api/lora/models/${m.body.id}`, { ...opts, method: 'PATCH', body: { name: 'after', trigger_word: 'zkvor7' } });
    expect(patched.body).toMatchObject({ name: 'after', trigger_word: 'zkvor7' });
    const del = await call(modelRoute.DELETE, `/api/lora/models/${m.body.id}`, { ...opts, method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ deleted: true, purged: true });
    expect((await call(modelRoute.GET, `/api/lora/models/${m.body.id}`, opts)).status).toBe(404);
    const list = await call(modelsRoute.GET, '/api/lora/models', { cookie: u.cookie });
    expect(list.body.data).toEqual([]);
    const db = await getDb();
    const [row] = await db.select().from(tables.loraModels).where(eq(tables.loraModels.id, m.body.id));
    expect(row!.deletedAt).not.toBeNull();
    expect(row!.purgedAt).not.toBeNull();
  });
});

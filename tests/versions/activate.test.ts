import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as activateRoute from '@/app/api/lora/activate/route';
import * as modelRoute from '@/app/api/lora/models/[id]/route';
import { getDb, tables } from '@/server/db';
import { call } from '../helpers/http.ts';
import { owner, trainVersion, type Owner } from './fixtures.ts';

const activate = (o: Owner, body: object) => call(activateRoute.POST, '/api/lora/activate', { cookie: o.cookie, body });
const active = async (o: Owner) => (await call(activateRoute.GET, '/api/lora/activate', { cookie: o.cookie })).body.active;

describe('/api/lora/activate', () => {
  it('activates a ready version at the requested weight, one per user, audited', async () => {
    const o = await owner();
    const v1 = await trainVersion(o);
    expect(await active(o)).toBeNull();
    const res = await activate(o, { version_id: v1, weight: 0.8, target_platform: 'sdxl' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ requested_weight: 0.8, warnings: [] });
    expect(res.body.active).toMatchObject({
      version_id: v1,
      version_number: 1,
      model_id: o.modelId,
      model_name: 'Jane portrait',
      trigger_word: 'ohwx',
      base_model: { id: 'sdxl-base-1.0', family: 'sdxl' },
      weight: 0.8,
      weight_range: { min: 0, max: 1.5, default: 0.8 },
      target_platform: 'sdxl',
    });
    expect(await active(o)).toEqual(res.body.active);

    // A second version replaces the first: still one row for this user.
    const v2 = await trainVersion(o);
    expect((await activate(o, { version_id: v2, weight: 1.1 })).body.active).toMatchObject({ version_id: v2, weight: 1.1, target_platform: null });
    const db = await getDb();
    expect(await db.select().from(tables.userIdentityActive).where(eq(tables.userIdentityActive.userId, o.userId))).toHaveLength(1);
    const audit = await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.action, 'version.activate'), eq(tables.auditLog.workspaceId, o.workspaceId)));
    expect(audit.map((a) => [a.targetId, (a.metadata as { weight: number }).weight])).toEqual([
      [v1, 0.8],
      [v2, 1.1],
    ]);
  });

  it("weight: the base model's default when omitted, clamped into its range with a warning", async () => {
    const o = await owner();
    const v = await trainVersion(o);
    expect((await activate(o, { version_id: v })).body).toMatchObject({ active: { weight: 0.8 }, requested_weight: null, warnings: [] });
    const high = await activate(o, { version_id: v, weight: 5 });
    expect(high.body.active.weight).toBe(1.5);
    expect(high.body.warnings).toEqual(['Weight 5 is outside 0–1.5 for Stable Diffusion XL base 1.0; clamped to 1.5.']);
    expect((await activate(o, { version_id: v, weight: -2 })).body.active.weight).toBe(0);
    expect((await activate(o, { version_id: v, weight: 0.333 })).body.active.weight).toBe(0.33);
  });

  it('a failed version is refused with a clear message, and the active identity is unchanged', async () => {
    const o = await owner();
    const ok = await trainVersion(o);
    await activate(o, { version_id: ok, weight: 0.7 });
    const failed = await trainVersion(o, 'failed');
    const res = await activate(o, { version_id: failed, weight: 0.8 });
    expect(res.status).toBe(412);
    expect(res.body.error).toMatchObject({ code: 'precondition_failed', message: 'Version 2 is failed; only a ready version can be activated.', details: { status: 'failed' } });
    expect(await active(o)).toMatchObject({ version_id: ok, weight: 0.7 });
  });

  it("another workspace's version → 404; bad input → 422 naming the field", async () => {
    const a = await owner();
    const b = await owner();
    const v = await trainVersion(a);
    const res = await activate(b, { version_id: v });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toBe(`Version ${v} was not found.`);
    for (const [body, path] of [
      [{ version_id: 'lm_abc' }, 'version_id'],
      [{ version_id: v, weight: 'strong' }, 'weight'],
      [{ weight: 1 }, 'version_id'],
    ] as const) {
      const bad = await activate(a, body);
      expect(bad.status).toBe(422);
      expect(bad.body.error.details[0].path).toBe(path);
    }
    const unknown = await activate(a, { version_id: v, target_platform: 'midjourney' });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.message).toBe('Unknown target platform "midjourney".');
    expect(await active(a)).toBeNull();
  });

  it('a Character Pack target is accepted; a Flux-only target warns that an SDXL LoRA will not load there', async () => {
    const o = await owner();
    const v = await trainVersion(o);
    expect((await activate(o, { version_id: v, target_platform: 'sora-2' })).body.warnings).toEqual([]);
    expect((await activate(o, { version_id: v, target_platform: 'flux' })).body.warnings).toEqual([
      'Flux pipeline loads flux LoRAs; this version is for sdxl, so it gets no LoRA there.',
    ]);
  });

  it('DELETE clears it (idempotent, audited); deleting the LoRA clears it too', async () => {
    const o = await owner();
    const v = await trainVersion(o);
    await activate(o, { version_id: v });
    const del = await call(activateRoute.DELETE, '/api/lora/activate', { cookie: o.cookie, method: 'DELETE' });
    expect(del.body).toEqual({ active: null, deactivated: true });
    expect((await call(activateRoute.DELETE, '/api/lora/activate', { cookie: o.cookie, method: 'DELETE' })).body).toEqual({ active: null, deactivated: false });
    expect(await active(o)).toBeNull();
    const db = await getDb();
    expect(await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.action, 'version.deactivate'), eq(tables.auditLog.targetId, v)))).toHaveLength(1);

    await activate(o, { version_id: v });
    await call(modelRoute.DELETE, `/api/lora/models/${o.modelId}`, { cookie: o.cookie, params: { id: o.modelId }, method: 'DELETE' });
    expect(await active(o)).toBeNull();
    expect((await activate(o, { version_id: v })).status).toBe(404);
  });

  it('without a session → 401; a cross-site POST with the cookie → 403', async () => {
    const o = await owner();
    const v = await trainVersion(o);
    expect((await call(activateRoute.POST, '/api/lora/activate', { body: { version_id: v } })).status).toBe(401);
    expect((await call(activateRoute.POST, '/api/lora/activate', { cookie: o.cookie, body: { version_id: v }, origin: 'https://evil.example' })).status).toBe(403);
    expect(await active(o)).toBeNull();
  });
});

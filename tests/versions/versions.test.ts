import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as activateRoute from '@/app/api/lora/activate/route';
import * as versionRoute from '@/app/api/lora/versions/[id]/route';
import * as downloadRoute from '@/app/api/lora/versions/[id]/download/route';
import * as versionsRoute from '@/app/api/lora/versions/route';
import { getDb, tables } from '@/server/db';
import { getStorage, serveLocalStorage } from '@/server/storage';
import { call } from '../helpers/http.ts';
import { CONSENT, postJob } from '../jobs/fixtures.ts';
import { owner, trainVersion, type Owner } from './fixtures.ts';

const list = (o: Owner, modelId = o.modelId) => call(versionsRoute.GET, `/api/lora/versions?model_id=${modelId}`, { cookie: o.cookie });
const get = (o: Owner, id: string) => call(versionRoute.GET, `/api/lora/versions/${id}`, { cookie: o.cookie, params: { id } });
const download = (o: Owner, id: string, body: object = {}) => call(downloadRoute.POST, `/api/lora/versions/${id}/download`, { cookie: o.cookie, params: { id }, body });
const remove = (o: Owner, id: string) => call(versionRoute.DELETE, `/api/lora/versions/${id}`, { cookie: o.cookie, params: { id }, method: 'DELETE' });

async function fetchSigned(url: string): Promise<Response> {
  return serveLocalStorage(new Request(url), new URL(url).pathname.split('/').pop()!);
}

describe('/api/lora/versions', () => {
  it('lists versions newest first with base model, params, dataset hash, checksum, size, format, metrics, status', async () => {
    const o = await owner();
    const v1 = await trainVersion(o, 'ready');
    const v2 = await trainVersion(o, 'failed');
    const res = await list(o);
    expect(res.status).toBe(200);
    expect(res.body.data.map((v: { id: string; number: number; status: string }) => [v.id, v.number, v.status])).toEqual([
      [v2, 2, 'failed'],
      [v1, 1, 'ready'],
    ]);
    const ready = res.body.data[1];
    const [ds] = await (await getDb()).select().from(tables.loraDatasets).where(eq(tables.loraDatasets.id, o.datasetId));
    expect(ready).toMatchObject({
      model_id: o.modelId,
      base_model: { id: 'sdxl-base-1.0', family: 'sdxl' },
      dataset_id: o.datasetId,
      dataset_hash: ds!.datasetHash,
      artifact_format: 'kohya',
      artifact_meta: { rank: 8, alpha: 8 },
      metrics: { final_loss: 0.12 },
      failure_reason: null,
      active: false,
    });
    expect(ready.params).toMatchObject({ rank: 8, alpha: 8 });
    expect(ready.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(ready.artifact_bytes).toBeGreaterThan(0);
    expect(res.body.data[0]).toMatchObject({ checksum: null, failure_reason: expect.stringMatching(/NaN/) });
    expect((await get(o, v1)).body).toEqual(ready);
    const onlyReady = await call(versionsRoute.GET, `/api/lora/versions?model_id=${o.modelId}&status=ready`, { cookie: o.cookie });
    expect(onlyReady.body.data.map((v: { id: string }) => v.id)).toEqual([v1]);
  });

  it('bad input → 422 naming the field; another workspace → 404 for list, get, download and delete', async () => {
    const o = await owner();
    const v = await trainVersion(o);
    const missing = await call(versionsRoute.GET, '/api/lora/versions', { cookie: o.cookie });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe('model_id');
    const stranger = await owner();
    expect((await list(stranger, o.modelId)).status).toBe(404);
    expect((await get(stranger, v)).status).toBe(404);
    expect((await download(stranger, v)).status).toBe(404);
    expect((await remove(stranger, v)).status).toBe(404);
    expect((await get(o, v)).status).toBe(200);
  });

  it('download: a short-lived signed URL to exactly the verified bytes, audited; a failed version has none', async () => {
    const o = await owner({ modelName: 'Ada portrait' });
    const ready = await trainVersion(o);
    const failed = await trainVersion(o, 'failed');
    const res = await download(o, ready);
    expect(res.status).toBe(200);
    expect(res.body.filename).toBe('Ada_portrait-v1.safetensors');
    const ttl = (Date.parse(res.body.expires_at) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(60);
    expect(ttl).toBeLessThanOrEqual(300);
    const file = await fetchSigned(res.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('Ada_portrait-v1.safetensors');
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.body.sha256);
    expect(res.body.sha256).toBe((await get(o, ready)).body.checksum);
    const db = await getDb();
    const audit = await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.targetId, ready), eq(tables.auditLog.action, 'artifact.download')));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: o.userId, workspaceId: o.workspaceId });

    const none = await download(o, failed);
    expect(none.status).toBe(412);
    expect(none.body.error.message).toBe('Version 2 is failed; only a ready version has weights to download.');
    expect((await download(o, ready, { file: 'adapter_config.json' })).status).toBe(404);
  });

  it('delete: soft delete, active identity cleared, weights purged, audited; a version still training is refused', async () => {
    const o = await owner();
    const v = await trainVersion(o);
    const act = await call(activateRoute.POST, '/api/lora/activate', { cookie: o.cookie, body: { version_id: v } });
    expect(act.status).toBe(200);
    expect((await get(o, v)).body.active).toBe(true);
    const db = await getDb();
    const [row] = await db.select().from(tables.loraVersions).where(eq(tables.loraVersions.id, v));
    const { driver } = getStorage();
    expect(await driver.head(row!.artifactKey!)).not.toBeNull();

    const del = await remove(o, v);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: v, deleted: true, purged: true, deactivated: true });
    expect(await driver.head(row!.artifactKey!)).toBeNull();
    expect((await get(o, v)).status).toBe(404);
    expect((await list(o)).body.data).toEqual([]);
    expect((await download(o, v)).status).toBe(404);
    expect((await call(activateRoute.GET, '/api/lora/activate', { cookie: o.cookie })).body).toEqual({ active: null });
    const [after] = await db.select().from(tables.loraVersions).where(eq(tables.loraVersions.id, v));
    expect(after!.deletedAt).not.toBeNull();
    expect(after!.purgedAt).not.toBeNull();
    const audit = await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.targetId, v), eq(tables.auditLog.action, 'version.delete')));
    expect(audit[0]?.metadata).toMatchObject({ deactivated_users: 1 });
    expect((await remove(o, v)).status).toBe(404);

    const pending = await postJob(o, { model_id: o.modelId, dataset_id: o.datasetId, base_model: 'sdxl-base-1.0', params: { steps: 50 }, consent: CONSENT.image });
    const busy = await remove(o, pending.body.version_id);
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toMatch(/^Version 2 is pending; cancel its training job before deleting it\.$/);
  });
});

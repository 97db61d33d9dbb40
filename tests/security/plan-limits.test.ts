// Issue #11 defect #6: every plan limit is enforced where the counted thing is created, under
// the workspace's quota lock. A Free workspace (3 LoRAs, 5 datasets, 1 GB storage) made 7
// LoRAs, 7 datasets and was handed 1,152 signed parts for a 9 GiB upload; these tests drive the
// real routes against a real database and real local storage.
import { readFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, isNull } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as modelRoute from '@/app/api/lora/models/[id]/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import { getDb, tables } from '@/server/db';
import { newId } from '@/server/ids';
import { call } from '../helpers/http.ts';
import { randomIp, signUp, type TestUser } from '../helpers/users.ts';
import { commit, init, put, sha256, type Upload } from '../datasets/helpers.ts';
import { setPlan } from '../jobs/fixtures.ts';
import { commit as commitText, deleteDataset, putTo, type TextUpload } from '../text-datasets/helpers.ts';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const PHOTO = readFileSync(path.join(process.cwd(), 'tests/fixtures/public-domain/grace_hopper.jpg'));

interface Person extends TestUser {
  ip: string;
  workspaceId: string;
}

async function person(plan: 'free' | 'pro' = 'free'): Promise<Person> {
  const ip = randomIp();
  const u = await signUp('Limits Person', ip);
  const db = await getDb();
  const [ws] = await db.select({ id: tables.workspaceSettings.workspaceId }).from(tables.workspaceSettings).where(eq(tables.workspaceSettings.personal, u.userId));
  if (plan !== 'free') await setPlan(ws!.id, plan);
  return { ...u, ip, workspaceId: ws!.id };
}

const createLora = (p: Person, modality: 'image' | 'text' = 'image', name = 'Ada') =>
  call(modelsRoute.POST, '/api/lora/models', { cookie: p.cookie, headers: { 'x-forwarded-for': p.ip }, body: { name, modality, kind: modality === 'image' ? 'identity' : 'chat' } });

async function lora(p: Person, modality: 'image' | 'text' = 'image'): Promise<string> {
  const res = await createLora(p, modality);
  if (res.status !== 201) throw new Error(`model create failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

const photo = (name: string, size: number) => ({ name, size, content_type: 'image/jpeg' });
const initPhotos = (p: Person, modelId: string, files: { name: string; size: number; content_type: string }[], datasetId?: string) =>
  init(p.cookie, { model_id: modelId, ...(datasetId ? { dataset_id: datasetId } : {}), files });
const initText = (p: Person, modelId: string, size: number, name = 'chats.jsonl') => init(p.cookie, { model_id: modelId, files: [{ name, size, content_type: 'application/jsonl' }] });

async function liveCount(table: typeof tables.loraModels | typeof tables.loraDatasets, workspaceId: string): Promise<number> {
  const db = await getDb();
  return (await db.select({ id: table.id }).from(table).where(and(eq(table.workspaceId, workspaceId), isNull(table.deletedAt)))).length;
}

/** Every multipart upload staged in local storage for this workspace (`<key>.parts/<id>/`). */
async function stagedMultiparts(workspaceId: string): Promise<string[]> {
  const found: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const full = path.join(dir, e.name);
      if (!e.isDirectory()) continue;
      if (e.name.endsWith('.parts')) {
        for (const u of await readdir(full)) if (full.includes(workspaceId)) found.push(path.join(full, u));
      } else await walk(full);
    }
  }
  await walk(process.env.DATA_DIR!);
  return found;
}

/** A ready version whose verified artifact occupies `bytes` of the workspace's storage. */
async function storeArtifact(p: Person, modelId: string, bytes: number): Promise<void> {
  const db = await getDb();
  const datasetId = newId('dataset');
  await db.insert(tables.loraDatasets).values({ id: datasetId, workspaceId: p.workspaceId, ownerId: p.userId, loraModelId: modelId, modality: 'image', status: 'ready' });
  await db.insert(tables.loraVersions).values({
    id: newId('version'),
    workspaceId: p.workspaceId,
    loraModelId: modelId,
    number: 1,
    trainableBaseModel: 'sdxl-base-1.0',
    paramsJson: {},
    datasetId,
    datasetHash: 'a'.repeat(64),
    status: 'ready',
    artifactBytes: bytes,
  });
}

function expectLimit(res: { status: number; body: any }, name: string, extra: Record<string, unknown> = {}) {
  expect(res.status, JSON.stringify(res.body).slice(0, 400)).toBe(429);
  expect(res.body.error.code).toBe('rate_limit_exceeded');
  expect(res.body.error.details).toMatchObject({ limit_name: name, ...extra });
}

describe('models: a Free workspace has 3 LoRAs', () => {
  it('the 4th LoRA is refused with the plan, the limit, what is used and left, and how to get more; deleting one frees its slot', async () => {
    const p = await person();
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await lora(p, i === 2 ? 'text' : 'image'));
    const fourth = await createLora(p, 'text');
    expectLimit(fourth, 'models', { plan: 'free', used: 3, limit: 3, remaining: 0 });
    expect(fourth.body.error.message).toMatch(/LoRAs limit reached: 3 of 3 used on the Free plan/);
    expect(fourth.body.error.message).toMatch(/0 left/);
    expect(fourth.body.error.message).toMatch(/[Dd]elete a LoRA .*or upgrade/);
    expect(await liveCount(tables.loraModels, p.workspaceId)).toBe(3);

    const del = await call(modelRoute.DELETE, `/api/lora/models/${ids[0]}`, { method: 'DELETE', cookie: p.cookie, params: { id: ids[0]! }, headers: { 'x-forwarded-for': p.ip } });
    expect(del.status).toBe(200);
    expect((await createLora(p)).status).toBe(201);
    expectLimit(await createLora(p), 'models');
  });

  it('5 parallel creates with 2 slots left: exactly 2 succeed', async () => {
    const p = await person();
    await lora(p);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => createLora(p, 'image', `Parallel ${i}`)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429, 429]);
    for (const r of results.filter((x) => x.status === 429)) expectLimit(r, 'models', { used: 3, limit: 3 });
    expect(await liveCount(tables.loraModels, p.workspaceId)).toBe(3);
  });
});

describe('datasets: a Free workspace keeps 5', () => {
  it('the 6th dataset is refused for photos and for conversations; adding photos to an existing one is not a new dataset; deleting frees a slot', async () => {
    const p = await person();
    const imageModel = await lora(p);
    const textModel = await lora(p, 'text');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await initPhotos(p, imageModel, [photo(`p${i}.jpg`, 1000)]);
      expect(r.status).toBe(201);
      ids.push(r.body.dataset_id);
    }
    const fifth = await initText(p, textModel, 1000);
    expect(fifth.status).toBe(201);

    const sixthPhotos = await initPhotos(p, imageModel, [photo('six.jpg', 1000)]);
    expectLimit(sixthPhotos, 'datasets', { plan: 'free', used: 5, limit: 5, remaining: 0 });
    expect(sixthPhotos.body.error.message).toMatch(/Datasets limit reached: 5 of 5 used on the Free plan/);
    expect(sixthPhotos.body.uploads).toBeUndefined();
    const sixthText = await initText(p, textModel, 1000);
    expectLimit(sixthText, 'datasets', { used: 5, limit: 5 });
    expect(await liveCount(tables.loraDatasets, p.workspaceId)).toBe(5);

    // More photos for a dataset that exists counts no new dataset.
    expect((await initPhotos(p, imageModel, [photo('more.jpg', 1000)], ids[0])).status).toBe(201);

    expect((await deleteDataset(p.cookie, ids[1]!)).status).toBe(200);
    expect((await initText(p, textModel, 1000)).status).toBe(201);
    expectLimit(await initPhotos(p, imageModel, [photo('seven.jpg', 1000)]), 'datasets');
  });

  it('4 parallel inits with 2 slots left: exactly 2 datasets are created', async () => {
    const p = await person();
    const imageModel = await lora(p);
    const textModel = await lora(p, 'text');
    for (let i = 0; i < 3; i++) expect((await initPhotos(p, imageModel, [photo(`p${i}.jpg`, 1000)])).status).toBe(201);
    const results = await Promise.all([
      initPhotos(p, imageModel, [photo('a.jpg', 1000)]),
      initText(p, textModel, 1000, 'a.jsonl'),
      initPhotos(p, imageModel, [photo('b.jpg', 1000)]),
      initText(p, textModel, 1000, 'b.jsonl'),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429, 429]);
    expect(await liveCount(tables.loraDatasets, p.workspaceId)).toBe(5);
  });
});

describe('storage: a Free workspace stores 1 GB', () => {
  it('a 9 GiB conversation upload is refused at init: no dataset, no multipart upload, not one signed part', async () => {
    const p = await person();
    const textModel = await lora(p, 'text');
    const res = await initText(p, textModel, 9 * GiB, 'huge.jsonl');
    expectLimit(res, 'storage_gb', { plan: 'free', limit: 1, used: 0, requested_bytes: 9 * GiB, remaining_bytes: 1e9 });
    expect(res.body.error.message).toMatch(/Storage limit reached on the Free plan: 0(\.0+)? GB of 1 GB used, 1(\.0+)? GB left; this upload needs 9\.66 GB/);
    expect(res.body.error.message).toMatch(/[Dd]elete .* or upgrade/);
    expect(JSON.stringify(res.body)).not.toMatch(/part_number|multipart|"url"/);
    expect(await liveCount(tables.loraDatasets, p.workspaceId)).toBe(0);
    expect(await stagedMultiparts(p.workspaceId)).toEqual([]);
  });

  it('photos over the limit are refused at init; an upload in progress holds its declared bytes; deleting frees them', async () => {
    const p = await person();
    const imageModel = await lora(p);
    // 21 photos of 48 MiB: 1.06 GB in one init.
    const tooMany = await initPhotos(p, imageModel, Array.from({ length: 21 }, (_, i) => photo(`big-${i}.jpg`, 48 * MiB)));
    expectLimit(tooMany, 'storage_gb', { plan: 'free', limit: 1, requested_bytes: 21 * 48 * MiB });
    expect(tooMany.body.uploads).toBeUndefined();
    expect(await liveCount(tables.loraDatasets, p.workspaceId)).toBe(0);

    // 19 × 48 MiB = 956 MB fits and is held while its URLs are valid: two more do not.
    const first = await initPhotos(p, imageModel, Array.from({ length: 19 }, (_, i) => photo(`big-${i}.jpg`, 48 * MiB)));
    expect(first.status).toBe(201);
    const more = await initPhotos(p, imageModel, [photo('x.jpg', 48 * MiB)], first.body.dataset_id);
    expectLimit(more, 'storage_gb', { used_bytes: 19 * 48 * MiB });
    expect(more.body.error.message).toMatch(/0\.96 GB of 1 GB used, 0\.04 GB left; this upload needs 0\.05 GB/);
    const textModel = await lora(p, 'text');
    expectLimit(await initText(p, textModel, 100 * MiB), 'storage_gb');
    // Small enough still fits.
    expect((await initPhotos(p, imageModel, [photo('small.jpg', 10 * MiB)], first.body.dataset_id)).status).toBe(201);

    expect((await deleteDataset(p.cookie, first.body.dataset_id)).status).toBe(200);
    expect((await initText(p, textModel, 100 * MiB)).status).toBe(201);
  });

  it('3 parallel 400 MB conversation inits: exactly 2 get signed parts; the refused one leaves no multipart upload', async () => {
    const p = await person();
    const textModel = await lora(p, 'text');
    const results = await Promise.all([0, 1, 2].map((i) => initText(p, textModel, 400e6, `c${i}.jsonl`)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 429]);
    expectLimit(results.find((r) => r.status === 429)!, 'storage_gb');
    expect(await liveCount(tables.loraDatasets, p.workspaceId)).toBe(2);
    expect(await stagedMultiparts(p.workspaceId)).toHaveLength(2);
  });

  it('stored artifacts count; commit re-checks the real bytes under the lock and writes nothing when they no longer fit', async () => {
    const p = await person();
    const imageModel = await lora(p);
    const res = await initPhotos(p, imageModel, [photo('grace.jpg', PHOTO.length)]);
    expect(res.status).toBe(201);
    const upload = res.body.uploads[0] as Upload;
    expect((await put(upload, PHOTO)).status).toBeLessThan(300);
    // Meanwhile a trained LoRA's weights land and fill the workspace up to half a photo short.
    await storeArtifact(p, imageModel, 1e9 - Math.floor(PHOTO.length / 2));
    const refused = await commit(p.cookie, res.body.dataset_id, [{ key: upload.key, sha256: sha256(PHOTO) }]);
    expectLimit(refused, 'storage_gb', { requested_bytes: PHOTO.length });
    const db = await getDb();
    const [row] = await db.select().from(tables.loraDatasets).where(eq(tables.loraDatasets.id, res.body.dataset_id));
    expect(row!.status).toBe('uploading');
    expect(row!.totalBytes).toBeNull();
    expect(await db.select().from(tables.loraDatasetItems).where(eq(tables.loraDatasetItems.datasetId, res.body.dataset_id))).toEqual([]);
    // A new upload is refused at init too: the artifact is stored.
    expectLimit(await initPhotos(p, imageModel, [photo('one-more.jpg', 1000)], res.body.dataset_id), 'storage_gb');
  });

  it('a commit that fits is not counted twice (its own reservation is replaced by its real bytes)', async () => {
    const p = await person();
    const imageModel = await lora(p);
    const res = await initPhotos(p, imageModel, [photo('grace.jpg', PHOTO.length)]);
    const upload = res.body.uploads[0] as Upload;
    expect((await put(upload, PHOTO)).status).toBeLessThan(300);
    // Room for the photo, its copy in the archive and a little more — not for it twice over.
    await storeArtifact(p, imageModel, 1e9 - Math.floor(PHOTO.length * 2.5));
    const ok = await commit(p.cookie, res.body.dataset_id, [{ key: upload.key, sha256: sha256(PHOTO) }]);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });

  it('a conversation commit re-checks too: an uploaded file that no longer fits stays uncommitted', async () => {
    const p = await person();
    const textModel = await lora(p, 'text');
    const bytes = Buffer.from(`${JSON.stringify({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }] })}\n`.repeat(50));
    const res = await initText(p, textModel, bytes.length);
    expect(res.status).toBe(201);
    const target = res.body.uploads[0] as TextUpload;
    expect((await putTo(target.url!, target.headers!, bytes)).status).toBe(200);
    await storeArtifact(p, textModel, 1e9 - Math.floor(bytes.length / 2));
    const refused = await commitText(p.cookie, res.body.dataset_id, { key: target.key, sha256: sha256(bytes) });
    expectLimit(refused, 'storage_gb', { requested_bytes: bytes.length });
    const db = await getDb();
    const [row] = await db.select().from(tables.loraDatasets).where(eq(tables.loraDatasets.id, res.body.dataset_id));
    expect(row!.status).toBe('uploading');
  });
});

describe('Pro workspaces get the Pro limits', () => {
  it('more LoRAs, more datasets, and a 9 GiB conversation file gets its 1,152 signed parts', async () => {
    const p = await person('pro');
    for (let i = 0; i < 4; i++) await lora(p);
    const textModel = await lora(p, 'text');
    expect(await liveCount(tables.loraModels, p.workspaceId)).toBe(5);
    const imageModel = (await createLora(p)).body.id as string;
    for (let i = 0; i < 6; i++) expect((await initPhotos(p, imageModel, [photo(`p${i}.jpg`, 1000)])).status).toBe(201);
    const big = await initText(p, textModel, 9 * GiB, 'huge.jsonl');
    expect(big.status, JSON.stringify(big.body.error)).toBe(201);
    expect(big.body.uploads[0].multipart.parts).toHaveLength(1152);
    expect(await liveCount(tables.loraDatasets, p.workspaceId)).toBe(7);
  });

  it('the Pro storage limit (100 GB) holds too: the 10th 10 GiB file is refused', async () => {
    const p = await person('pro');
    const textModel = await lora(p, 'text');
    for (let i = 0; i < 9; i++) expect((await initText(p, textModel, 10 * GiB, `f${i}.jsonl`)).status).toBe(201);
    const tenth = await initText(p, textModel, 10 * GiB, 'f9.jsonl');
    expectLimit(tenth, 'storage_gb', { plan: 'pro', limit: 100 });
    expect(tenth.body.error.message).toMatch(/on the Pro plan: 96\.64 GB of 100 GB used, 3\.36 GB left; this upload needs 10\.74 GB/);
  });
});

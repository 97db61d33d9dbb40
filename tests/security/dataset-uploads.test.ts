// Issue #11, defects #4 and #10: the dataset validator could be bypassed by re-uploading to
// the original upload URLs after commit (validation re-read the raw uploads, training used the
// copies made at commit), and every raw photo stayed in storage with its EXIF/GPS block.
// Real photos from ../shared/fixtures, real PGlite, real local storage, real route handlers.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { env } from '@/env';
import { normalizeImage } from '@/server/datasets/images';
import { getDb } from '@/server/db';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { getStorage } from '@/server/storage';
import { datasetPrefix, textDatasetFileKey, textTrainingJsonlKey } from '@/server/storage/keys';
import { waitForTextValidation } from '@/server/text-datasets/registry';
import { addFiles, createModel, init, put, sha256, validate, type Upload } from '../datasets/helpers.ts';
import { call } from '../helpers/http.ts';
import { unzip } from '../helpers/unzip.ts';
import { signUp, type TestUser } from '../helpers/users.ts';
import { setPlan } from '../jobs/fixtures.ts';
import { createTextModel, getDataset, goodJsonl, putTo, uploadText } from '../text-datasets/helpers.ts';
import { expectError } from './helpers.ts';

const FIX = path.resolve(fileURLToPath(new URL('../../../shared/fixtures', import.meta.url)));
const fixture = (rel: string) => readFileSync(path.join(FIX, rel));
const BACKPACK = 'objects/dreambooth/dataset/backpack';

let user: TestUser;
let ws: string;

beforeAll(async () => {
  user = await signUp('Integrity Person');
  const me = await import('@/app/api/me/route');
  ws = (await call(me.GET, '/api/me', { cookie: user.cookie })).body.workspace.id;
  await setPlan(ws, 'pro'); // one LoRA per case: plan limits must not hide what is tested here
});

const datasetRow = async (id: string) => (await (await getDb()).select().from(loraDatasets).where(eq(loraDatasets.id, id)))[0]!;

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of getStorage().driver.list(prefix)) keys.push(o.key);
  return keys;
}

/** The GPS IFD pointer (tag 0x8825) in IFD0 of an EXIF block as sharp returns it. */
function hasGpsIfd(exif: Buffer): boolean {
  const b = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  const le = b.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const ifd = le ? b.readUInt32LE(4) : b.readUInt32BE(4);
  for (let i = 0; i < u16(ifd); i++) if (u16(ifd + 2 + i * 12) === 0x8825) return true;
  return false;
}

/** Why these bytes carry EXIF or GPS (a marker anywhere, or what sharp reads), or null. */
async function metadataIn(bytes: Buffer, where: string): Promise<string | null> {
  if (bytes.includes('Exif\0\0')) return `${where}: an Exif block`;
  if (bytes.includes('GPSLatitude') || bytes.includes('GPSLongitude')) return `${where}: GPS fields`;
  if (bytes.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) {
    for (const [name, data] of await unzip(bytes)) {
      const found = await metadataIn(data, `${where}!${name}`);
      if (found) return found;
    }
    return null;
  }
  const meta = await sharp(bytes).metadata().catch(() => null);
  if (meta?.exif) return `${where}: EXIF (${meta.exif.length} bytes)`;
  if (meta?.xmp) return `${where}: XMP`;
  return null;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

describe('#4 the validator sees exactly what training uses', () => {
  it('re-uploading to the original URLs after commit changes neither the verdict, the dataset hash nor the training archive', async () => {
    const model = await createModel(user.cookie, 'product');
    const same = fixture(`${BACKPACK}/03.jpg`);
    const { datasetId, uploads, committed } = await addFiles(user.cookie, model.id, Array.from({ length: 6 }, (_, i) => ({ name: `shot-${i}.jpg`, bytes: same })));
    expect(committed.status).toBe(200);
    const first = await validate(user.cookie, datasetId);
    expect(first.status).toBe(200);
    expect(first.body.verdict).toBe('block');
    expect(first.body.status).toBe('rejected');
    const before = await datasetRow(datasetId);

    // Six different photos, each no larger than the announced size, to the URLs init returned.
    const others = ['00.jpg', '01.jpg', '02.jpg', '04.jpg', '05.jpg'].map((f) => fixture(`${BACKPACK}/${f}`));
    others.push(fixture('objects/dreambooth/dataset/dog/00.jpg'));
    expect(new Set(others.map(sha256)).size).toBe(6);
    expect(others.every((b) => b.length <= same.length)).toBe(true);
    for (const [i, u] of uploads.entries()) await put(u, others[i]!);
    // S3 cannot refuse a PUT to a presigned URL that has not expired: the objects may land anyway.
    const { driver } = getStorage();
    for (const [i, u] of uploads.entries()) await driver.putStream(u.key, others[i]!, { contentType: 'image/jpeg', maxBytes: others[i]!.length });

    const again = await validate(user.cookie, datasetId);
    expect(again.status).toBe(200);
    expect(again.body.verdict).toBe('block');
    expect(again.body.status).toBe('rejected');
    expect(again.body.dataset_hash).toBe(first.body.dataset_hash);
    expect(again.body.quality_report.exact_duplicates).toHaveLength(1);

    // What a job's spec downloads: the archive on the dataset row, by its recorded sha256.
    const after = await datasetRow(datasetId);
    expect(after.archiveKey).toBe(before.archiveKey);
    const zip = await getStorage().driver.getBytes(after.archiveKey!);
    expect(createHash('sha256').update(zip).digest('hex')).toBe(after.archiveSha256);
    const images = [...(await unzip(zip)).entries()].filter(([name]) => name.endsWith('.jpg'));
    expect(images).toHaveLength(6);
    const committedCopy = (await normalizeImage(same)).image;
    for (const [, data] of images) expect(sha256(data)).toBe(sha256(committedCopy));
  });
});

describe('#10 no stored object keeps EXIF or GPS', () => {
  it('EXIF- and GPS-tagged photos committed (and validated): every object in storage is metadata-free, the raw uploads are gone', async () => {
    const files = [
      ...Array.from({ length: 8 }, (_, i) => `awkward/exif_Portrait_${i + 1}.jpg`),
      'identity/deepface_angelina_jolie/img1.jpg',
      'identity/human_person_vlado/person-vlado.jpg',
    ].map((rel) => ({ name: path.basename(rel), bytes: fixture(rel) }));
    // The fixtures really carry what must not survive: EXIF everywhere, a GPS IFD in the last two.
    for (const f of files) expect((await sharp(f.bytes).metadata()).exif, f.name).toBeDefined();
    for (const f of files.slice(8)) expect(hasGpsIfd((await sharp(f.bytes).metadata()).exif!), f.name).toBe(true);

    const model = await createModel(user.cookie, 'product');
    const { datasetId, committed } = await addFiles(user.cookie, model.id, files);
    expect(committed.status).toBe(200);
    expect(committed.body.image_count).toBe(10);
    expect((await validate(user.cookie, datasetId)).status).toBe(200);

    expect(await keysUnder(`${datasetPrefix(ws, datasetId)}uploads/`)).toEqual([]);
    const root = path.join(env().DATA_DIR, 'storage');
    const found: string[] = [];
    for (const file of filesUnder(root)) {
      const hit = await metadataIn(readFileSync(file), path.relative(root, file));
      if (hit) found.push(hit);
    }
    expect(found).toEqual([]);
    // The UI still has what it needs: a thumbnail per photo, and the training archive.
    const keys = await keysUnder(datasetPrefix(ws, datasetId));
    expect(keys.filter((k) => k.includes('/thumbs/'))).toHaveLength(10);
    expect(keys.filter((k) => k.includes('/normalized/'))).toHaveLength(10);
    expect(keys.filter((k) => k.includes('/archive/'))).toHaveLength(1);
  });
});

describe('#4/#10 upload links are single-use and short-lived', () => {
  it('a PUT to a committed upload URL is refused and stores nothing', async () => {
    const model = await createModel(user.cookie, 'product');
    const photo = fixture('awkward/exif_Portrait_1.jpg');
    const { uploads } = await addFiles(user.cookie, model.id, [{ name: 'p.jpg', bytes: photo }]);
    const res = await put(uploads[0]!, photo);
    const text = await res.text();
    expectError({ status: res.status, body: text ? JSON.parse(text) : null }, 409, 'conflict', 're-PUT after commit');
    expect(await getStorage().driver.head(uploads[0]!.key)).toBeNull();
  });

  it('image upload links expire within 15 minutes', async () => {
    const model = await createModel(user.cookie, 'product');
    const res = await init(user.cookie, { model_id: model.id, files: [{ name: 'a.jpg', size: 1000, content_type: 'image/jpeg' }] });
    expect(res.status).toBe(201);
    const expires = new Date(res.body.uploads[0].expires_at).getTime();
    expect(expires - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
    expect(expires - Date.now()).toBeGreaterThan(60 * 1000);
  });

  it('the scheduler sweep deletes a raw upload that lands after commit (as S3 allows until the link expires); pending uploads survive until their link is long expired', async () => {
    const model = await createModel(user.cookie, 'product');
    const photo = fixture('identity/human_person_vlado/person-vlado.jpg');
    const { datasetId, uploads } = await addFiles(user.cookie, model.id, [{ name: 'v.jpg', bytes: photo }]);
    const { driver } = getStorage();
    // S3 cannot refuse a second PUT to a still-valid presigned URL: the object simply appears.
    await driver.putStream(uploads[0]!.key, photo, { contentType: 'image/jpeg', maxBytes: photo.length });
    // Another upload of the same dataset, sent but not committed yet: the person may still commit it.
    const more = await init(user.cookie, { model_id: model.id, dataset_id: datasetId, files: [{ name: 'w.jpg', size: photo.length, content_type: 'image/jpeg' }] });
    const pending = more.body.uploads[0] as Upload;
    expect((await put(pending, photo)).status).toBe(200);

    const now = new Date();
    const tick = await runSchedulerTick(now);
    expect(tick.raw_uploads_swept).toBeGreaterThanOrEqual(1);
    expect(await driver.head(uploads[0]!.key)).toBeNull();
    expect(await driver.head(pending.key)).not.toBeNull();

    // Hours later nobody can commit it any more (its link expired long ago): it goes too.
    await runSchedulerTick(new Date(now.getTime() + 3 * 3600_000));
    expect(await keysUnder(`${datasetPrefix(ws, datasetId)}uploads/`)).toEqual([]);
    expect((await datasetRow(datasetId)).uploadsSweepAt).toBeNull();
  });
});

describe('text datasets: training uses what validation read', () => {
  it('re-uploading to the conversation file URL after validation is refused; the training file and dataset hash stay those validated', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = goodJsonl(20);
    const { datasetId, target } = await uploadText(user.cookie, model.id, 'chats.jsonl', bytes);
    await waitForTextValidation(datasetId);
    const ready = (await getDataset(user.cookie, datasetId)).body;
    expect(ready).toMatchObject({ status: 'ready', dataset_hash: sha256(bytes) });
    const { driver } = getStorage();
    const trainingKey = textTrainingJsonlKey({ workspaceId: ws, datasetId });
    const training = await driver.getBytes(trainingKey);

    const other = goodJsonl(20, 500);
    const res = await putTo(target.url!, target.headers!, other.subarray(0, bytes.length));
    expect(res.status).toBe(409);
    expect(sha256(await driver.getBytes(textDatasetFileKey({ workspaceId: ws, datasetId })))).toBe(sha256(bytes));
    const row = await datasetRow(datasetId);
    expect(row.datasetHash).toBe(sha256(bytes));
    expect(row.archiveKey).toBe(trainingKey);
    expect(sha256(await driver.getBytes(trainingKey))).toBe(sha256(training));
    expect(row.archiveSha256).toBe(sha256(training));
  });
});

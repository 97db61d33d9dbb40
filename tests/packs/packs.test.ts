import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import * as activateRoute from '@/app/api/lora/activate/route';
import * as compileRoute from '@/app/api/lora/compile/route';
import * as packsRoute from '@/app/api/lora/packs/route';
import * as versionRoute from '@/app/api/lora/versions/[id]/route';
import { getDb, tables } from '@/server/db';
import { getStorage, serveLocalStorage } from '@/server/storage';
import { characterPackKey } from '@/server/storage/keys';
import { call } from '../helpers/http.ts';
import { owner, photosWithGps, trainVersion, type Owner } from '../versions/fixtures.ts';
import { unzip } from '../helpers/unzip.ts';

// The Character Pack zip as a person downloads it (signed URL, then every entry read).
async function download(url: string): Promise<{ res: Response; bytes: Buffer }> {
  const res = await serveLocalStorage(new Request(url), new URL(url).pathname.split('/').pop()!);
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

const pack = (o: Owner, body: object) => call(packsRoute.POST, '/api/lora/packs', { cookie: o.cookie, body });
const SCENE = 'walking along a pier at golden hour';

let o: Owner;
let versionId: string;

beforeAll(async () => {
  o = await owner({ modelName: 'Eileen', description: 'a woman with short brown hair', photos: await photosWithGps(15) });
  versionId = await trainVersion(o);
  const act = await call(activateRoute.POST, '/api/lora/activate', { cookie: o.cookie, body: { version_id: versionId, weight: 0.8 } });
  expect(act.status).toBe(200);
}, 300_000);

describe('Character Pack zip', () => {
  it('Sora 2: the zip opens; manifest lists exactly its images; images carry no EXIF; no LoRA tag anywhere', async () => {
    const res = await pack(o, { profile: 'sora-2', scene: SCENE });
    expect(res.status).toBe(200);
    expect(res.body.filename).toBe('character-pack-sora-2-Eileen-v1.zip');
    const { res: file, bytes } = await download(res.body.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toContain('character-pack-sora-2-Eileen-v1.zip');
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(res.body.sha256);

    const entries = await unzip(bytes);
    const names = [...entries.keys()];
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    expect(manifest).toEqual(res.body.manifest);
    const images = names.filter((n) => n.startsWith('images/'));
    expect(images).toHaveLength(1); // Sora takes one reference image
    expect(manifest.images.map((i: { file: string }) => i.file)).toEqual(images);
    expect(names.sort()).toEqual(['README.md', 'manifest.json', 'prompt.txt', ...images].sort());
    expect(manifest).toMatchObject({ schema_version: 1, kind: 'character_pack', platform: { id: 'sora-2' }, lora: { version_id: versionId, version_number: 1 }, files: { negative_prompt: null } });

    for (const img of manifest.images) {
      const data = entries.get(img.file)!;
      expect(createHash('sha256').update(data).digest('hex')).toBe(img.sha256);
      const meta = await sharp(data).metadata();
      expect(meta.format).toBe('jpeg');
      expect([meta.width, meta.height]).toEqual([img.width, img.height]);
      expect(meta.exif).toBeUndefined();
      expect(meta.xmp).toBeUndefined();
      expect(meta.icc).toBeUndefined();
      expect(data.includes(Buffer.from('TestCam'))).toBe(false);
    }

    const compiled = (await call(compileRoute.POST, '/api/lora/compile', { cookie: o.cookie, body: { profile: 'sora-2', scene: SCENE } })).body;
    expect(entries.get('prompt.txt')!.toString()).toBe(`${compiled.final}\n`);
    expect(manifest.images.map((i: { source_item_id: string }) => i.source_item_id)).toEqual(compiled.reference_images.map((r: { item_id: string }) => r.item_id));
    const readme = entries.get('README.md')!.toString();
    expect(readme).toContain(`- ${images[0]}\n`);
    for (const [name, data] of entries) if (!name.startsWith('images/')) expect(data.toString(), name).not.toMatch(/<lora|\bohwx\b/);
    expect(compiled.final).toContain('short brown hair');

    const audit = await (await getDb()).select().from(tables.auditLog).where(and(eq(tables.auditLog.targetId, versionId), eq(tables.auditLog.action, 'pack.export')));
    expect(audit[0]?.metadata).toMatchObject({ platform: 'sora-2', images: 1, sha256: res.body.sha256 });
  });

  it('Veo 3.1 (GET): several reference photos covering poses, negative_prompt.txt, recommended parameters', async () => {
    const q = new URLSearchParams({ profile: 'veo-3.1', scene: SCENE, negative: 'text overlays' });
    const res = await call(packsRoute.GET, `/api/lora/packs?${q}`, { cookie: o.cookie });
    expect(res.status).toBe(200);
    const entries = await unzip((await download(res.body.url)).bytes);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString());
    const images = [...entries.keys()].filter((n) => n.startsWith('images/'));
    expect(images.length).toBeGreaterThan(1);
    expect(manifest.images.map((i: { file: string }) => i.file)).toEqual(images);
    expect(new Set(manifest.images.map((i: { source_item_id: string }) => i.source_item_id)).size).toBe(images.length);
    expect(entries.get('negative_prompt.txt')!.toString()).toBe('text overlays\n');
    expect(manifest.files.negative_prompt).toBe('negative_prompt.txt');
    expect(manifest.recommended_params).toMatchObject({ duration_seconds: 8 });
    for (const name of images) expect((await sharp(entries.get(name)!).metadata()).exif).toBeUndefined();
  });

  it('refused for LoRA pipelines (422) and without an active identity (412); another workspace sees nothing', async () => {
    const sdxl = await pack(o, { profile: 'sdxl', scene: SCENE });
    expect(sdxl.status).toBe(422);
    expect(sdxl.body.error.message).toMatch(/SDXL pipeline loads the LoRA itself/);
    const stranger = await owner();
    const none = await pack(stranger, { profile: 'sora-2', scene: SCENE });
    expect(none.status).toBe(412);
    expect(none.body.error.message).toMatch(/^Activate a ready version first/);
    expect((await pack(o, { profile: 'sora-2', scene: SCENE, final: 'edited' })).status).toBe(422);
  });

  it('deleting the version purges its packs', async () => {
    const p = await owner({ photos: await photosWithGps(15) });
    const v = await trainVersion(p);
    await call(activateRoute.POST, '/api/lora/activate', { cookie: p.cookie, body: { version_id: v } });
    expect((await pack(p, { profile: 'grok-3', scene: SCENE })).status).toBe(200);
    const key = characterPackKey({ workspaceId: p.workspaceId, modelId: p.modelId, versionId: v, platform: 'grok-3' });
    const { driver } = getStorage();
    expect(await driver.head(key)).not.toBeNull();
    const del = await call(versionRoute.DELETE, `/api/lora/versions/${v}`, { cookie: p.cookie, params: { id: v }, method: 'DELETE' });
    expect(del.body).toMatchObject({ deleted: true, purged: true });
    expect(await driver.head(key)).toBeNull();
  }, 300_000);
});

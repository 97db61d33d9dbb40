import { beforeAll, describe, expect, it } from 'vitest';
import { getStorage } from '@/server/storage';
import { textDatasetFileKey, textTrainingJsonlKey } from '@/server/storage/keys';
import { MIN_PART_BYTES } from '@/server/storage/multipart';
import { waitForTextValidation } from '@/server/text-datasets/registry';
import { signUp, type TestUser } from '../helpers/users.ts';
import { auditActions, bigJsonl, commit, createTextModel, deleteDataset, getDataset, init, putParts, putTo, sha256, type TextUpload } from './helpers.ts';

let user: TestUser;

beforeAll(async () => {
  user = await signUp('Big File Person');
});

describe('text dataset: signed multipart upload', () => {
  it('a ~12 MB file in 2 signed parts: PUT parts, keep ETags, commit → ready; bad ETags first get a 422 the client can retry', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = bigJsonl(12 * 1024 * 1024);
    const res = await init(user.cookie, {
      model_id: model.id,
      base_model: 'qwen2.5-7b-instruct',
      multipart: true,
      files: [{ name: 'tickets.jsonl', size: bytes.length, content_type: 'application/x-ndjson' }],
    });
    expect(res.status).toBe(201);
    const target = res.body.uploads[0] as TextUpload;
    expect(target.url).toBeUndefined();
    expect(target.headers).toBeUndefined();
    const mp = target.multipart!;
    expect(mp.upload_id).toMatch(/^upl_/);
    expect(mp.parts.map((p) => p.part_number)).toEqual([1, 2]);
    expect(mp.parts[0]!.bytes).toBe(mp.part_size);
    expect(mp.parts[0]!.bytes + mp.parts[1]!.bytes).toBe(bytes.length);
    expect(mp.part_size).toBeGreaterThanOrEqual(MIN_PART_BYTES);
    const ttl = new Date(target.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(5.9 * 3600_000);
    expect(ttl).toBeLessThanOrEqual(6 * 3600_000);

    const etags = await putParts(target, bytes);
    expect(etags.every((e) => /^"[0-9a-f]{32}"$/.test(e.etag))).toBe(true);
    const id = res.body.dataset_id as string;

    // Without parts, or with a wrong ETag: 422, the dataset stays uploading.
    const noParts = await commit(user.cookie, id, { key: target.key, sha256: sha256(bytes) });
    expect(noParts.status).toBe(422);
    expect(noParts.body.error.message).toMatch(/^The upload is incomplete: .*2 parts/);
    const wrong = await commit(user.cookie, id, { key: target.key, sha256: sha256(bytes), parts: [etags[0]!, { part_number: 2, etag: '"0123456789abcdef0123456789abcdef"' }] });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.message).toMatch(/^The upload is incomplete: Part 2's ETag does not match/);
    expect((await getDataset(user.cookie, id)).body.status).toBe('uploading');

    // Parts in any order are sorted by the server.
    const ok = await commit(user.cookie, id, { key: target.key, sha256: sha256(bytes), parts: [...etags].reverse() });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: 'validating', total_bytes: bytes.length, base_model: 'qwen2.5-7b-instruct' });
    await waitForTextValidation(id);
    const view = (await getDataset(user.cookie, id)).body;
    expect(view).toMatchObject({ status: 'ready', verdict: 'pass', validation_progress: 1, dataset_hash: sha256(bytes) });
    const lineCount = bytes.toString('utf8').split('\n').filter(Boolean).length;
    expect(view.quality_report.records).toMatchObject({ total: lineCount, good: lineCount, bad: 0 });
    expect(view.example_count).toBe(lineCount);

    const ws = target.key.split('/')[1]!;
    const { driver } = getStorage();
    expect((await driver.head(textDatasetFileKey({ workspaceId: ws, datasetId: id })))!.bytes).toBe(bytes.length);
    const training = await driver.getBytes(textTrainingJsonlKey({ workspaceId: ws, datasetId: id }), { maxBytes: 64 * 1024 * 1024 });
    expect(training.toString('utf8').split('\n').filter(Boolean)).toHaveLength(lineCount);
    // The same messages, re-serialized: the source already was OpenAI JSONL.
    expect(training.equals(bytes)).toBe(true);
    expect(await auditActions(id)).toEqual(['dataset.init', 'dataset.commit', 'dataset.validate']);

    // A replay after completion changes nothing.
    const replay = await commit(user.cookie, id, { key: target.key, sha256: sha256(bytes), parts: etags });
    expect(replay.body.status).toBe('ready');
  });

  it('files at or above 64 MiB are multipart without asking; after a delete its parts cannot be uploaded any more', async () => {
    const model = await createTextModel(user.cookie);
    const size = 100 * 1024 * 1024 + 7;
    const res = await init(user.cookie, { model_id: model.id, files: [{ name: 'huge.jsonl', size, content_type: 'application/jsonl' }] });
    expect(res.status).toBe(201);
    const mp = (res.body.uploads[0] as TextUpload).multipart!;
    expect(mp.parts.reduce((s, p) => s + p.bytes, 0)).toBe(size);
    expect(mp.parts.length).toBe(Math.ceil(size / mp.part_size));
    const del = await deleteDataset(user.cookie, res.body.dataset_id);
    expect(del.body).toMatchObject({ deleted: true, purged: true });
    expect((await getDataset(user.cookie, res.body.dataset_id)).status).toBe(404);
    const late = await putTo(mp.parts[0]!.url, mp.parts[0]!.headers, Buffer.alloc(1024));
    expect(late.status).toBe(404);
  });

  it('multipart:true on a file of 5 MiB or less gives a single PUT', async () => {
    const model = await createTextModel(user.cookie);
    const res = await init(user.cookie, { model_id: model.id, multipart: true, files: [{ name: 'small.jsonl', size: MIN_PART_BYTES, content_type: 'application/jsonl' }] });
    expect(res.body.uploads[0].multipart).toBeUndefined();
    expect(res.body.uploads[0].url).toContain('/api/storage/local/');
  });
});

import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/server/db';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { getStorage } from '@/server/storage';
import { datasetPrefix, textTrainingJsonlKey } from '@/server/storage/keys';
import { resumeStaleTextValidations } from '@/server/text-datasets/resume';
import { abortTextValidation, startTextValidation, waitForTextValidation } from '@/server/text-datasets/registry';
import { addFiles, createModel } from '../datasets/helpers.ts';
import { identitySet } from '../images/synthetic.ts';
import { putOnPlan } from '../helpers/plans.ts';
import { signUp, type TestUser } from '../helpers/users.ts';
import { auditActions, commit, createTextModel, deleteDataset, getDataset, goodJsonl, init, listDatasets, putParts, sha256, uploadText, type TextUpload } from './helpers.ts';

let user: TestUser;
let ws: string;

beforeAll(async () => {
  user = await signUp('Lifecycle Person');
  await putOnPlan(user, 'pro'); // one person's many datasets and GiB-sized uploads: more than Free keeps
  const me = await import('@/app/api/me/route');
  const { call } = await import('../helpers/http.ts');
  ws = (await call(me.GET, '/api/me', { cookie: user.cookie })).body.workspace.id;
});

describe('text datasets: list search, crash recovery, delete', () => {
  it('list: q matches part of the name (any case) or the exact id, LIKE wildcards are literal; modality=text leaves photos out', async () => {
    const model = await createTextModel(user.cookie);
    const a = await uploadText(user.cookie, model.id, 'Support-Chats-2024.jsonl', goodJsonl(5));
    const b = await uploadText(user.cookie, model.id, 'sales_calls.jsonl', goodJsonl(5, 100));
    const photos = await addFiles(user.cookie, (await createModel(user.cookie)).id, (await identitySet(1)).map((bytes) => ({ name: 'p.jpg', bytes })));
    for (const id of [a.datasetId, b.datasetId]) await waitForTextValidation(id);

    const names = async (q: Record<string, string>) => ((await listDatasets(user.cookie, q)).body.data as { name: string }[]).map((d) => d.name);
    expect(await names({ q: 'support-CHATS' })).toEqual(['Support-Chats-2024.jsonl']);
    expect(await names({ q: b.datasetId })).toEqual(['sales_calls.jsonl']);
    expect(await names({ q: 's_c' })).toEqual(['sales_calls.jsonl']); // `_` is not "any character"
    expect(await names({ q: '%' })).toEqual([]);
    expect(await names({ q: '.jsonl', modality: 'text' })).toEqual(['sales_calls.jsonl', 'Support-Chats-2024.jsonl']);
    const texts = (await listDatasets(user.cookie, { modality: 'text' })).body.data as { id: string; modality: string; base_model: string }[];
    expect(texts.every((d) => d.modality === 'text' && d.base_model === 'llama-3.1-8b-instruct')).toBe(true);
    expect(texts.map((d) => d.id)).not.toContain(photos.datasetId);
    expect(await names({ q: 'photos', modality: 'text' })).toEqual([]);
    const page = await listDatasets(user.cookie, { q: '.jsonl', status: 'ready', limit: '1' });
    expect(page.body.data).toHaveLength(1);
    const next = await listDatasets(user.cookie, { q: '.jsonl', status: 'ready', limit: '1', cursor: page.body.next_cursor });
    expect(next.body.data).toHaveLength(1);
    expect(next.body.data[0].id).not.toBe(page.body.data[0].id);
  });

  it('a validation a crashed process left in validating is claimed and finished by the scheduler; a fresh one is left alone', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = goodJsonl(25);
    const { datasetId } = await uploadText(user.cookie, model.id, 'crashed.jsonl', bytes);
    await waitForTextValidation(datasetId);
    const trainingKey = textTrainingJsonlKey({ workspaceId: ws, datasetId });
    const { driver } = getStorage();
    expect(await driver.head(trainingKey)).not.toBeNull();

    // What a crash mid-validation leaves behind: status validating, no outcome, no training file.
    const db = await getDb();
    const now = new Date();
    await driver.delete(trainingKey);
    await db
      .update(loraDatasets)
      .set({ status: 'validating', validationProgress: 0.4, verdict: null, qualityReportJson: null, archiveKey: null, archiveSha256: null, archiveBytes: null, exampleCount: null, updatedAt: new Date(now.getTime() - 60_000) })
      .where(eq(loraDatasets.id, datasetId));
    expect(await resumeStaleTextValidations(db, now)).toBe(0); // one minute old: maybe still alive

    await db.update(loraDatasets).set({ updatedAt: new Date(now.getTime() - 3 * 60_000) }).where(eq(loraDatasets.id, datasetId));
    const report = await runSchedulerTick(now);
    expect(report.text_validations_resumed).toBe(1);
    expect(await resumeStaleTextValidations(db, now)).toBe(0); // claimed: nobody takes it twice
    await waitForTextValidation(datasetId);

    const view = (await getDataset(user.cookie, datasetId)).body;
    expect(view).toMatchObject({ status: 'ready', verdict: 'pass', example_count: 25, validation_progress: 1 });
    expect((await driver.head(trainingKey))!.bytes).toBe(view.quality_report.bytes);
    expect(await auditActions(datasetId)).toEqual(['dataset.init', 'dataset.commit', 'dataset.validate', 'dataset.validate']);
  });

  it('deleting a dataset while it validates leaves nothing behind, whatever the interleaving', async () => {
    const model = await createTextModel(user.cookie);
    const { datasetId, committed } = await uploadText(user.cookie, model.id, 'doomed.jsonl', goodJsonl(2000));
    expect(committed.body.status).toBe('validating');
    const del = await deleteDataset(user.cookie, datasetId);
    expect(del.body).toMatchObject({ deleted: true, purged: true });
    await waitForTextValidation(datasetId);
    const left: string[] = [];
    for await (const o of getStorage().driver.list(datasetPrefix(ws, datasetId))) left.push(o.key);
    expect(left).toEqual([]);
    expect((await getDataset(user.cookie, datasetId)).status).toBe(404);
    const [row] = await (await getDb()).select().from(loraDatasets).where(eq(loraDatasets.id, datasetId));
    expect(row!.deletedAt).not.toBeNull();
  });

  it('an aborted validation writes no outcome and no training file', async () => {
    const model = await createTextModel(user.cookie);
    const { datasetId } = await uploadText(user.cookie, model.id, 'aborted.jsonl', goodJsonl(50));
    await waitForTextValidation(datasetId);
    const trainingKey = textTrainingJsonlKey({ workspaceId: ws, datasetId });
    const { driver } = getStorage();
    await driver.delete(trainingKey);
    const db = await getDb();
    await db.update(loraDatasets).set({ status: 'validating', validationProgress: 0, qualityReportJson: null, verdict: null }).where(eq(loraDatasets.id, datasetId));

    expect(startTextValidation(datasetId)).toBe(true);
    expect(startTextValidation(datasetId)).toBe(false); // never twice in one process
    await abortTextValidation(datasetId); // before its first read: the abort is seen at the first chunk
    const [row] = await db.select().from(loraDatasets).where(eq(loraDatasets.id, datasetId));
    expect(row).toMatchObject({ status: 'validating', qualityReportJson: null, error: null });
    expect(await driver.head(trainingKey)).toBeNull();
    expect(await auditActions(datasetId)).toEqual(['dataset.init', 'dataset.commit', 'dataset.validate']);
  });

  it('an upload never committed is failed as abandoned once its links expired, and its multipart upload is aborted', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = Buffer.alloc(6 * 1024 * 1024 + 100, 0x61);
    const start = async (name: string) => {
      const res = await init(user.cookie, { model_id: model.id, multipart: true, files: [{ name, size: bytes.length, content_type: 'application/jsonl' }] });
      expect(res.status).toBe(201);
      return { id: res.body.dataset_id as string, target: res.body.uploads[0] as TextUpload };
    };
    const old = await start('left-behind.jsonl');
    const fresh = await start('still-uploading.jsonl');
    const parts = await putParts(old.target, bytes); // every part sent, but the browser never committed
    const db = await getDb();
    const now = new Date();
    await db.update(loraDatasets).set({ updatedAt: new Date(now.getTime() - 8 * 3600_000) }).where(eq(loraDatasets.id, old.id));
    await db.update(loraDatasets).set({ updatedAt: new Date(now.getTime() - 3600_000) }).where(eq(loraDatasets.id, fresh.id));

    const report = await runSchedulerTick(now);
    expect(report.text_uploads_expired).toBe(1);
    expect((await runSchedulerTick(now)).text_uploads_expired).toBe(0);
    const view = (await getDataset(user.cookie, old.id)).body;
    expect(view).toMatchObject({ status: 'failed', error: { code: 'upload_abandoned' } });
    expect(view.error.message).toContain('Upload the file again');
    expect((await getDataset(user.cookie, fresh.id)).body.status).toBe('uploading');
    // The multipart upload is gone: completing it now fails and nothing was stored.
    const late = await commit(user.cookie, old.id, { key: old.target.key, sha256: sha256(bytes), parts });
    expect(late.status).toBe(422);
    expect(await getStorage().driver.head(old.target.key)).toBeNull();
    expect(await auditActions(old.id)).toEqual(['dataset.init', 'dataset.upload_abandoned']);
  });
});

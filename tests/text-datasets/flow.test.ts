import { beforeAll, describe, expect, it } from 'vitest';
import { getStorage } from '@/server/storage';
import { textTrainingJsonlKey } from '@/server/storage/keys';
import { waitForTextValidation } from '@/server/text-datasets/registry';
import { alpacaRecords, toJsonArray, type AlpacaRecord } from '../helpers/conversations.ts';
import { putOnPlan } from '../helpers/plans.ts';
import { signUp, type TestUser } from '../helpers/users.ts';
import { auditActions, commit, conv, createTextModel, getDataset, goodJsonl, init, j, putTo, sha256, uploadText, type TextUpload } from './helpers.ts';

// Generated data only (the suite runs on a fresh clone): the real third-party files go through
// the same flow in tests/realworld/text-upload.test.ts.

/** The documented Alpaca mapping: history pairs, then user `instruction\ninput` (or just the instruction), then the output. */
const alpacaMessages = (r: AlpacaRecord) => ({
  messages: [
    ...(r.history ?? []).flatMap(([u, a]) => [
      { role: 'user', content: u },
      { role: 'assistant', content: a },
    ]),
    { role: 'user', content: r.input ? `${r.instruction}\n${r.input}` : r.instruction },
    { role: 'assistant', content: r.output },
  ],
});

let user: TestUser;
let ws: string;

beforeAll(async () => {
  user = await signUp('Text Person');
  await putOnPlan(user, 'pro'); // one person's many datasets and GiB-sized uploads: more than Free keeps
  const me = await import('@/app/api/me/route');
  const { call } = await import('../helpers/http.ts');
  ws = (await call(me.GET, '/api/me', { cookie: user.cookie })).body.workspace.id;
});

async function settled(datasetId: string) {
  await waitForTextValidation(datasetId);
  return (await getDataset(user.cookie, datasetId)).body;
}

async function trainingLines(datasetId: string): Promise<unknown[]> {
  const bytes = await getStorage().driver.getBytes(textTrainingJsonlKey({ workspaceId: ws, datasetId }));
  return bytes
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

describe('text dataset: init → single PUT → commit → background validation', () => {
  it('a JSON-array dataset (pretty-printed Alpaca, as LLaMA-Factory ships it) becomes ready with its report and an OpenAI messages training file', async () => {
    const model = await createTextModel(user.cookie);
    const records = alpacaRecords(120, 11);
    // An exact copy of record 3 at the end: counted and good, but warned about and left out of training.
    const { bytes, lines: startLine } = toJsonArray([...records, records[3]]);
    const res = await init(user.cookie, { model_id: model.id, files: [{ name: 'alpaca_support.json', size: bytes.length, content_type: 'application/json' }] });
    expect(res.status).toBe(201);
    const target = res.body.uploads[0] as TextUpload;
    expect(res.body.status).toBe('uploading');
    expect(target.url).toContain('/api/storage/local/');
    expect(target.headers).toEqual({ 'content-type': 'application/json' });
    expect(target.multipart).toBeUndefined();
    const ttl = new Date(target.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(50 * 60_000);
    expect(ttl).toBeLessThanOrEqual(60 * 60_000);

    expect((await putTo(target.url!, target.headers!, bytes)).status).toBe(200);
    const committed = await commit(user.cookie, res.body.dataset_id, { key: target.key, sha256: sha256(bytes) });
    expect(committed.status).toBe(200);
    expect(committed.body).toMatchObject({ id: res.body.dataset_id, name: 'alpaca_support.json', modality: 'text', status: 'validating', total_bytes: bytes.length, base_model: 'llama-3.1-8b-instruct', error: null, pending_uploads: 0 });
    expect(committed.body.validation_progress).toBe(0);

    const view = await settled(res.body.dataset_id);
    expect(view).toMatchObject({ status: 'ready', verdict: 'warn', validation_progress: 1, image_count: null, error: null, dataset_hash: sha256(bytes), example_count: 120 });
    const report = view.quality_report;
    expect(report).toMatchObject({ schema_version: 1, verdict: 'ready', container: 'json_array', context_length: 8192, bytes: bytes.length });
    expect(report.formats).toEqual({ detected: 'alpaca', counts: { alpaca: 121 }, mixed: false });
    expect(report.records).toEqual({ total: 121, good: 121, bad: 0, blank_lines: 0, duplicates: 1 });
    expect(report.stats.conversations).toBe(120);
    const users = records.reduce((n, r) => n + 1 + (r.history?.length ?? 0), 0);
    expect(report.stats.roles).toEqual({ system: 0, user: users, assistant: users, tool: 0 });
    expect(report.errors).toEqual([]);
    expect(report.warnings.map((w: { line: number; code: string }) => [w.line, w.code])).toEqual([[startLine[120], 'duplicate_conversation']]);
    expect(report.warnings[0].message).toContain(`line ${startLine[3]}`);
    expect(report.reasons).toEqual(['1 duplicate conversation(s) will be left out of training.']);

    // The training file: every distinct record in file order, in OpenAI messages form.
    expect(await trainingLines(view.id)).toEqual(records.map(alpacaMessages));
    const head = await getStorage().driver.head(textTrainingJsonlKey({ workspaceId: ws, datasetId: view.id }));
    expect(head!.bytes).toBeGreaterThan(0);
    expect(await auditActions(view.id)).toEqual(['dataset.init', 'dataset.commit', 'dataset.validate']);

    // A replayed commit returns the current view and validates nothing again.
    const replay = await commit(user.cookie, view.id, { key: target.key, sha256: sha256(bytes) });
    expect(replay.status).toBe(200);
    expect(replay.body.status).toBe('ready');
    expect(await auditActions(view.id)).toEqual(['dataset.init', 'dataset.commit', 'dataset.validate']);
  });

  it('reports each bad line with its line and field, counts the good ones, and trains on the good ones only', async () => {
    const model = await createTextModel(user.cookie);
    const lines = Array.from({ length: 40 }, (_, i) => conv(i));
    lines[2] = '{"messages": [{"role": "user", "content": "broken'; // line 3: bad JSON
    lines[4] = j({ messages: [{ role: 'user', content: 'Is anyone there?' }] }); // line 5: no assistant
    lines[6] = j({ messages: [{ role: 'user', content: 'Hello?' }, { role: 'assistant', content: '' }] }); // line 7: empty
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const { datasetId } = await uploadText(user.cookie, model.id, 'support-with-errors.jsonl', bytes);
    const view = await settled(datasetId);
    expect(view.status).toBe('ready');
    expect(view.verdict).toBe('warn');
    const r = view.quality_report;
    expect(r.records).toMatchObject({ total: 40, good: 37, bad: 3 });
    const at = (line: number) => r.errors.filter((e: { line: number }) => e.line === line).map((e: { path: string; code: string }) => [e.path, e.code]);
    expect(at(3)).toEqual([['', 'invalid_json']]);
    expect(at(5)).toEqual([['messages[0].role', 'last_turn_not_assistant']]);
    expect(at(7)).toEqual([['messages[1].content', 'empty_content']]);
    expect(r.error_count).toBe(3);
    expect(view.example_count).toBe(37);
    expect(await trainingLines(datasetId)).toHaveLength(37);
  });

  it('a file that is mostly wrong is rejected (verdict block): its errors on their lines, its usable conversations still counted', async () => {
    const model = await createTextModel(user.cookie);
    // The shape of the OpenAI cookbook's toy file: three good conversations, then two bad ones.
    const sys = { role: 'system', content: 'You are a happy assistant that puts a positive spin on everything.' };
    const good = [
      { messages: [sys, { role: 'user', content: 'I fell off my bike today.' }, { role: 'assistant', content: "It's great that you're getting exercise outdoors!" }] },
      { messages: [sys, { role: 'user', content: 'I lost my tennis match today.' }, { role: 'assistant', content: "It's ok, it happens to everyone." }, { role: 'user', content: 'But I trained so hard!' }, { role: 'assistant', content: 'It will pay off next time.' }] },
      { messages: [{ role: 'user', content: 'I lost my book today.' }, { role: 'assistant', content: 'You can read everything on ebooks these days!' }] }, // line 3: no system message (a warning)
    ];
    const lines = [
      ...good.map(j),
      j({ messages: [sys, { role: 'assistant', content: "You're great!" }] }), // line 4: no user turn
      // line 5: ~4 tokens per "Eat a banana! " × 4,000 ≈ 16,000 tokens, twice the base's 8,192
      j({ messages: [sys, { role: 'user', content: "I'm hungry." }, { role: 'assistant', content: 'Eat a banana! '.repeat(4000).trim() }] }),
    ];
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const { datasetId } = await uploadText(user.cookie, model.id, 'toy_chat.jsonl', bytes);
    const view = await settled(datasetId);
    expect(view).toMatchObject({ status: 'rejected', verdict: 'block', error: null, example_count: 3 });
    const r = view.quality_report;
    expect(r.verdict).toBe('rejected');
    expect(r.formats.detected).toBe('openai');
    expect(r.records).toEqual({ total: 5, good: 3, bad: 2, blank_lines: 0, duplicates: 0 });
    const located = (issues: { line: number; path: string; code: string }[]) => issues.map((e) => [e.line, e.path, e.code]);
    expect(located(r.errors)).toEqual([
      [4, 'messages', 'missing_user_turn'],
      [5, 'messages', 'too_many_tokens'],
    ]);
    expect(r.errors[1].message).toMatch(/more than the base model's context of 8,192/);
    expect(located(r.warnings)).toEqual([[3, '', 'missing_system_message']]);
    expect(r.reasons).toEqual(['40.0 % of records have errors, more than the 10.0 % allowed; fix the file (the errors list shows where).']);
    // The usable conversations are still normalized (what a fixed file would train on).
    expect(await trainingLines(datasetId)).toEqual(good);
  });

  it('a wrong sha256 fails the dataset with checksum_mismatch and leaves no training file', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = goodJsonl(20);
    const { datasetId, committed } = await uploadText(user.cookie, model.id, 'tampered.jsonl', bytes, { sha: sha256(Buffer.from('something else')) });
    expect(committed.body.status).toBe('validating');
    const view = await settled(datasetId);
    expect(view.status).toBe('failed');
    expect(view.error.code).toBe('checksum_mismatch');
    expect(view.error.message).toMatch(/not the sha256 you sent/);
    expect(view.quality_report).toBeNull();
    expect(await getStorage().driver.head(textTrainingJsonlKey({ workspaceId: ws, datasetId }))).toBeNull();
    expect(await auditActions(datasetId)).toEqual(['dataset.init', 'dataset.commit', 'dataset.validate']);
  });

  it('a short upload, a missing upload, a foreign key → 422 and the dataset is unchanged', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = goodJsonl(30);
    const announce = (name: string) => init(user.cookie, { model_id: model.id, files: [{ name, size: bytes.length, content_type: '' }] });

    const short = await announce('short.jsonl');
    const shortTarget = short.body.uploads[0] as TextUpload;
    expect(shortTarget.headers).toEqual({ 'content-type': 'application/octet-stream' });
    await putTo(shortTarget.url!, shortTarget.headers!, bytes.subarray(0, bytes.length - 100));
    const bad = await commit(user.cookie, short.body.dataset_id, { key: shortTarget.key, sha256: sha256(bytes) });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(new RegExp(`short\\.jsonl has ${bytes.length - 100} bytes, but ${bytes.length} were announced`));

    const missing = await announce('missing.jsonl');
    const missingTarget = missing.body.uploads[0] as TextUpload;
    const none = await commit(user.cookie, missing.body.dataset_id, { key: missingTarget.key, sha256: sha256(bytes) });
    expect(none.status).toBe(422);
    expect(none.body.error.message).toMatch(/missing\.jsonl was not uploaded/);

    const foreign = await commit(user.cookie, missing.body.dataset_id, { key: shortTarget.key, sha256: sha256(bytes) });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.message).toMatch(/is not an upload of dataset/);

    for (const id of [short.body.dataset_id, missing.body.dataset_id]) {
      const view = (await getDataset(user.cookie, id)).body;
      expect(view).toMatchObject({ status: 'uploading', pending_uploads: 1, total_bytes: null, validation_progress: null, quality_report: null });
      expect(await auditActions(id)).toEqual(['dataset.init']);
    }

    // The missing file arrives after all: the same dataset commits fine.
    await putTo(missingTarget.url!, missingTarget.headers!, bytes);
    const ok = await commit(user.cookie, missing.body.dataset_id, { key: missingTarget.key, sha256: sha256(bytes) });
    expect(ok.status).toBe(200);
    expect((await settled(missing.body.dataset_id)).status).toBe('ready');
  });

  it('another workspace gets 404 for every route; its list does not show the dataset', async () => {
    const model = await createTextModel(user.cookie);
    const bytes = goodJsonl(10);
    const { datasetId, target } = await uploadText(user.cookie, model.id, 'private.jsonl', bytes);
    await waitForTextValidation(datasetId);
    const stranger = await signUp('Stranger');
    expect((await getDataset(stranger.cookie, datasetId)).status).toBe(404);
    expect((await commit(stranger.cookie, datasetId, { key: target.key, sha256: sha256(bytes) })).status).toBe(404);
    expect((await init(stranger.cookie, { model_id: model.id, files: [{ name: 'x.jsonl', size: 10, content_type: 'application/jsonl' }] })).status).toBe(404);
    const { deleteDataset, listDatasets } = await import('./helpers.ts');
    expect((await deleteDataset(stranger.cookie, datasetId)).status).toBe(404);
    expect((await listDatasets(stranger.cookie, { q: datasetId })).body.data).toEqual([]);
    expect((await getDataset(user.cookie, datasetId)).body.status).toBe('ready');
  });
});

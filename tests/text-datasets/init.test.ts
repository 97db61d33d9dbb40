import { beforeAll, describe, expect, it } from 'vitest';
import * as validateRoute from '@/app/api/lora/datasets/validate/route';
import { call } from '../helpers/http.ts';
import { putOnPlan } from '../helpers/plans.ts';
import { signUp, type TestUser } from '../helpers/users.ts';
import { createModel } from '../datasets/helpers.ts';
import { createTextModel, goodJsonl, init, uploadText } from './helpers.ts';

let user: TestUser;
let textModel: { id: string };
let imageModel: { id: string };

beforeAll(async () => {
  user = await signUp('Init Person');
  await putOnPlan(user, 'pro'); // one person's many datasets and GiB-sized uploads: more than Free keeps
  textModel = await createTextModel(user.cookie);
  imageModel = await createModel(user.cookie);
});

const file = (name: string, size = 1000, content_type = 'application/jsonl') => ({ name, size, content_type });
const initText = (body: Record<string, unknown>) => init(user.cookie, { model_id: textModel.id, ...body });

describe('text dataset init: what is refused, with a clear 422', () => {
  it('photos for a text LoRA, and a conversation file for an image LoRA', async () => {
    const photos = await initText({ files: [file('me.jpg', 1000, 'image/jpeg')] });
    expect(photos.status).toBe(422);
    expect(photos.body.error.message).toMatch(/is a text LoRA: upload one conversation file/);
    const convo = await init(user.cookie, { model_id: imageModel.id, files: [file('chats.jsonl')] });
    expect(convo.status).toBe(422);
    expect(convo.body.error.message).toMatch(/chats\.jsonl is a conversation file; it belongs to a text LoRA/);
  });

  it('more than one file, a wrong extension or type, an unknown or image base model, an existing dataset id', async () => {
    const two = await initText({ files: [file('a.jsonl'), file('b.jsonl')] });
    expect(two.status).toBe(422);
    expect(two.body.error.message).toMatch(/exactly one conversation file per upload, not 2/);
    const txt = await initText({ files: [file('notes.txt', 1000, 'text/plain')] });
    expect(txt.body.error.message).toMatch(/notes\.txt is not a \.jsonl or \.json file/);
    const csv = await initText({ files: [file('data.json', 1000, 'text/csv')] });
    expect(csv.body.error.message).toMatch(/data\.json is reported as text\/csv/);
    const base = await initText({ base_model: 'flux-dev', files: [file('a.jsonl')] });
    expect(base.status).toBe(422);
    expect(base.body.error.message).toMatch(/"flux-dev" is not a text base model \(.*llama-3\.1-8b-instruct.*\)/);
    const existing = await initText({ dataset_id: 'ds_whatever', files: [file('a.jsonl')] });
    expect(existing.body.error.message).toMatch(/its own dataset: leave dataset_id out/);
  });

  it('size: up to 10 GiB for a conversation file (no 50 MB photo cap); photos keep their 50 MB cap', async () => {
    const big = await initText({ files: [file('huge.jsonl', 10 * 1024 ** 3)] });
    expect(big.status).toBe(201);
    expect(big.body.uploads[0].multipart.parts.length).toBe(1280);
    const tooBig = await initText({ files: [file('huge.jsonl', 10 * 1024 ** 3 + 1)] });
    expect(tooBig.status).toBe(422);
    expect(JSON.stringify(tooBig.body.error)).toMatch(/at most 10 GiB/);
    const photo = await init(user.cookie, { model_id: imageModel.id, files: [file('big.jpg', 60 * 1024 * 1024, 'image/jpeg')] });
    expect(photo.status).toBe(422);
    expect(photo.body.error.message).toMatch(/big\.jpg is 60\.0 MB; a photo can be at most 50\.0 MB/);
  });

  it('accepted names and types: .jsonl with no type, .json, .ndjson; each init is a new dataset named after the file', async () => {
    const ids = new Set<string>();
    for (const f of [file('a.jsonl', 10, ''), file('b.json', 10, 'application/json'), file('c.ndjson', 10, 'application/x-ndjson'), file('d.JSONL', 10, 'application/octet-stream')]) {
      const res = await initText({ files: [f] });
      expect(res.status, f.name).toBe(201);
      ids.add(res.body.dataset_id);
    }
    expect(ids.size).toBe(4);
  });

  it('POST /validate on a text dataset keeps its 422', async () => {
    const { datasetId } = await uploadText(user.cookie, textModel.id, 'v.jsonl', goodJsonl(5));
    const res = await call(validateRoute.POST, '/api/lora/datasets/validate', { cookie: user.cookie, body: { dataset_id: datasetId } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toBe('Text datasets are validated while they upload.');
    const { waitForTextValidation } = await import('@/server/text-datasets/registry');
    await waitForTextValidation(datasetId);
  });
});

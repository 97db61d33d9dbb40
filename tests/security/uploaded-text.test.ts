// Issue #11 / #7, uploaded content: a conversation file is the person's data, not a request
// field, so a NUL or a lone surrogate inside a message is not refused at init — but the
// validation report quotes the file (preview, error paths) into jsonb, which cannot hold them.
// The report is stored with U+FFFD; the dataset is validated, never left failed by a 500.
import { beforeAll, describe, expect, it } from 'vitest';
import { waitForTextValidation } from '@/server/text-datasets/registry';
import { signUp, type TestUser } from '../helpers/users.ts';
import { conv, createTextModel, getDataset, j, uploadText } from '../text-datasets/helpers.ts';

let user: TestUser;
beforeAll(async () => {
  user = await signUp('Uploaded Text');
});

describe('a conversation file with NUL and lone surrogates in its text', () => {
  it('validates to ready; the stored report shows U+FFFD where the file had them', async () => {
    const model = await createTextModel(user.cookie);
    const lines = Array.from({ length: 20 }, (_, i) => conv(i + 1));
    // JSON.stringify writes the escapes \u0000 and \ud800, as any JSONL writer would.
    lines[0] = j({ messages: [{ role: 'system', content: 'Be kind\u0000.' }, { role: 'user', content: 'Hi \ud800 there' }, { role: 'assistant', content: 'Hello\u0000!' }] });
    const { datasetId } = await uploadText(user.cookie, model.id, 'nul-inside.jsonl', Buffer.from(lines.join('\n') + '\n'));
    await waitForTextValidation(datasetId);
    const view = (await getDataset(user.cookie, datasetId)).body;
    expect(view).toMatchObject({ status: 'ready', error: null });
    expect(JSON.stringify(view.quality_report)).not.toMatch(/\\u0000|\\ud800/);
    const first = view.quality_report.preview[0].messages;
    expect(first.map((m: { content: string }) => m.content)).toEqual(['Be kind\uFFFD.', 'Hi \uFFFD there', 'Hello\uFFFD!']);
  });
});

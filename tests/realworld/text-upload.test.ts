import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import * as meRoute from '@/app/api/me/route';
import { getStorage } from '@/server/storage';
import { textTrainingJsonlKey } from '@/server/storage/keys';
import { waitForTextValidation } from '@/server/text-datasets/registry';
import { call } from '../helpers/http.ts';
import { putOnPlan } from '../helpers/plans.ts';
import { signUp, type TestUser } from '../helpers/users.ts';
import { commit, createTextModel, getDataset, init, putTo, sha256, type TextUpload } from '../text-datasets/helpers.ts';

// The product's text upload flow over the real third-party files in ../shared/fixtures/llm
// (never committed): a text LoRA from the models route, init → PUT through the local
// signed-URL route → commit → background validation → GET the dataset, and the normalized
// training file in storage. The validator alone on the same files is jsonl-validation.test.ts
// (at a 4,096 context); here the context is the default base's, llama-3.1-8b-instruct's 8,192.

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const LLM = path.resolve(ROOT, '../shared/fixtures/llm');

interface Line {
  messages: { role: string; content: string }[];
  tools?: unknown;
}

let user: TestUser;
let ws: string;

beforeAll(async () => {
  if (!existsSync(LLM)) throw new Error(`real-world fixtures not found at ${LLM}`);
  user = await signUp('Real Text Person');
  await putOnPlan(user, 'pro'); // a text LoRA per fixture: more than Free's three
  ws = (await call(meRoute.GET, '/api/me', { cookie: user.cookie })).body.workspace.id;
});

/** Uploads one fixture the way the browser does and returns the settled dataset and its training file. */
async function upload(file: string) {
  const bytes = readFileSync(path.join(LLM, file));
  const name = path.basename(file);
  const model = await createTextModel(user.cookie, name);
  const contentType = name.endsWith('.json') ? 'application/json' : 'application/jsonl';
  const res = await init(user.cookie, { model_id: model.id, files: [{ name, size: bytes.length, content_type: contentType }] });
  expect(res.status).toBe(201);
  const target = res.body.uploads[0] as TextUpload;
  expect(target.multipart).toBeUndefined(); // every fixture is below the multipart threshold
  expect((await putTo(target.url!, target.headers!, bytes)).status).toBe(200);
  const committed = await commit(user.cookie, res.body.dataset_id, { key: target.key, sha256: sha256(bytes) });
  expect(committed.status).toBe(200);
  expect(committed.body).toMatchObject({ status: 'validating', total_bytes: bytes.length, base_model: 'llama-3.1-8b-instruct' });

  await waitForTextValidation(res.body.dataset_id);
  const view = (await getDataset(user.cookie, res.body.dataset_id)).body;
  expect(view).toMatchObject({ id: res.body.dataset_id, modality: 'text', validation_progress: 1, error: null, dataset_hash: sha256(bytes) });
  expect(view.quality_report).toMatchObject({ context_length: 8192, bytes: bytes.length, tokenizer: { id: 'heuristic' } });

  const stored = await getStorage().driver.getBytes(textTrainingJsonlKey({ workspaceId: ws, datasetId: view.id }));
  const lines = stored
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
  // The training file holds exactly the usable conversations the report counts.
  expect(lines).toHaveLength(view.quality_report.stats.conversations);
  expect(view.example_count).toBe(view.quality_report.stats.conversations);
  for (const l of lines) {
    expect(l.messages.at(-1)!.role).toBe('assistant');
    expect(l.messages.some((m) => m.role === 'user')).toBe(true);
  }
  return { view, report: view.quality_report, lines };
}

const located = (issues: { line: number; path: string; code: string }[]) => issues.map((e) => [e.line, e.path, e.code]);

describe('OpenAI cookbook toy_chat_fine_tuning.jsonl through the upload flow', () => {
  it('rejected: 1 bad record of 5 is over the 10 % allowed; the bad line is named with its field', async () => {
    const { view, report, lines } = await upload('openai_cookbook/toy_chat_fine_tuning.jsonl');
    expect(view).toMatchObject({ status: 'rejected', verdict: 'block' });
    expect(report).toMatchObject({ verdict: 'rejected', formats: { detected: 'openai' } });
    expect(report.records).toEqual({ total: 5, good: 4, bad: 1, blank_lines: 0, duplicates: 0 });
    // Line 4: system + assistant only.
    expect(located(report.errors)).toEqual([[4, 'messages', 'missing_user_turn']]);
    expect(located(report.warnings)).toEqual([[3, '', 'missing_system_message']]);
    expect(report.reasons).toEqual(['20.0 % of records have errors, more than the 10.0 % allowed; fix the file (the errors list shows where).']);
    // Line 5 ("Eat a banana!" × 2,000) is over the 4,096 context jsonl-validation.test.ts uses,
    // but fits 8,192: about 6,450 tokens by the heuristic (8,033 by exact Llama 3). So it is a
    // usable conversation here, and the last line of the training file.
    expect(report.stats.tokens.per_conversation.max).toBeGreaterThan(4096);
    expect(report.stats.tokens.per_conversation.max).toBeLessThan(8192);
    expect(lines.at(-1)!.messages.at(-1)!.content).toMatch(/^(Eat a banana!){2000}$/);
  });
});

describe('LLaMA-Factory demo datasets through the upload flow', () => {
  const CASES = [
    { file: 'llama_factory/alpaca_en_demo.json', container: 'json_array', status: 'ready', verdict: 'warn', detected: 'alpaca', records: { total: 999, good: 999, bad: 0, duplicates: 14 }, conversations: 985 },
    { file: 'llama_factory/identity.json', container: 'json_array', status: 'ready', verdict: 'pass', detected: 'alpaca', records: { total: 91, good: 91, bad: 0, duplicates: 0 }, conversations: 91 },
    { file: 'llama_factory/glaive_toolcall_en_demo.json', container: 'json_array', status: 'ready', verdict: 'warn', detected: 'sharegpt', records: { total: 300, good: 300, bad: 0, duplicates: 35 }, conversations: 265 },
    { file: 'llama_factory/mllm_demo.json', container: 'json_array', status: 'ready', verdict: 'warn', detected: 'sharegpt_messages', records: { total: 6, good: 6, bad: 0, duplicates: 0 }, conversations: 6 },
    { file: 'llama_factory/v1_sft_demo.jsonl', container: 'jsonl', status: 'ready', verdict: 'warn', detected: 'llamafactory_v1', records: { total: 500, good: 500, bad: 0, duplicates: 1 }, conversations: 499 },
    { file: 'llama_factory/dpo_en_demo.json', container: 'json_array', status: 'rejected', verdict: 'block', detected: null, records: { total: 300, good: 0, bad: 300, duplicates: 0 }, conversations: 0 },
  ] as const;

  it.each(CASES)('$file → $status, $detected', async (c) => {
    const { view, report, lines } = await upload(c.file);
    expect(view).toMatchObject({ status: c.status, verdict: c.verdict });
    expect(report).toMatchObject({ container: c.container, verdict: c.status, records: c.records, stats: { conversations: c.conversations } });
    expect(report.formats.detected).toBe(c.detected);
    expect(lines).toHaveLength(c.conversations);
  });

  it('glaive tool calls keep their tool definitions and tool turns in the training file', async () => {
    const { lines } = await upload('llama_factory/glaive_toolcall_en_demo.json');
    expect(lines.some((l) => l.tools !== undefined)).toBe(true);
    expect(lines.some((l) => l.messages.some((m) => m.role === 'tool'))).toBe(true);
  });

  it('mllm images are warned about and their placeholders are not in the training file', async () => {
    const { report, lines } = await upload('llama_factory/mllm_demo.json');
    expect(report.warning_counts).toEqual({ media_not_included: 6 });
    expect(lines.every((l) => l.messages.every((m) => !m.content.includes('<image>')))).toBe(true);
  });

  it('preference data is refused with the reason, and nothing is left to train on', async () => {
    const { report } = await upload('llama_factory/dpo_en_demo.json');
    expect(report.formats.counts).toEqual({ preference: 300 });
    expect(report.error_counts).toEqual({ preference_data: 300 });
    expect(report.reasons).toEqual(['Preference data (chosen/rejected) is not supported for SFT LoRA.']);
  });
});

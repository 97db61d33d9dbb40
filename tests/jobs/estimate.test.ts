import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as estimateRoute from '@/app/api/lora/jobs/estimate/route';
import { getDb, tables } from '@/server/db';
import { buildOpenApiDocument } from '@/app/api/openapi.json/document';
import { call } from '../helpers/http.ts';
import { insertDataset, trainer } from './fixtures.ts';
import { DEMO, DEMO_CONVERSATIONS, postEstimate, trainTokens, withReport } from './text-fixtures.ts';

const LLAMA = 'llama-3.1-8b-instruct';
const body = (extra: Record<string, unknown>) => ({ base_model: LLAMA, preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 1, ...extra });

describe('POST /api/lora/jobs/estimate', () => {
  it('estimates from a ready text dataset: train-split tokens of its quality report, preset params, price', async () => {
    const t = await trainer({ modality: 'text' });
    const report = await withReport(t);
    // The generated file: every conversation distinct and valid, so all of them are usable.
    expect(report.records).toMatchObject({ total: DEMO_CONVERSATIONS, good: DEMO_CONVERSATIONS, bad: 0, duplicates: 0 });
    expect(report.stats.conversations).toBe(DEMO_CONVERSATIONS);
    const res = await postEstimate(t, body({ dataset_id: t.datasetId }));
    expect(res.status).toBe(200);
    const tokens = trainTokens(report);
    expect(tokens).toBeGreaterThan(0);
    expect(tokens).toBeLessThan(report.stats.tokens.total);
    const duration = Math.ceil((tokens * 5) / 3000 + 300);
    expect(res.body).toMatchObject({
      base_model: LLAMA,
      preset: 'balanced',
      params: { rank: 16, alpha: 32, learning_rate: 2e-4, epochs: 5, batch_size: 8, dropout: 0.1 },
      tokens_per_epoch: tokens,
      epochs: 5,
      total_tokens: tokens * 5,
      tokens_per_second: 3000,
      duration_seconds: duration,
      compute_usd: Math.round((duration / 3600) * 2.2 * 1e4) / 1e4,
      optimizer_steps: Math.ceil(report.stats.split.train / 8) * 5,
      token_count_method: 'full',
      gpu: { type: 'a100_80gb', label: 'A100 80 GB', count: 1, usd_per_hour: 2.2, vram_gb: 80 },
      dataset_bytes: DEMO.length,
    });
    expect(res.body.total_usd).toBe(Math.round((res.body.compute_usd + res.body.storage_usd) * 1e4) / 1e4);
    expect(res.body.memory).toMatchObject({ fits: true, sequence_length: report.stats.tokens.per_conversation.max });
    expect(res.body.assumptions.join(' ')).toContain(`${report.stats.split.train} of ${DEMO_CONVERSATIONS} usable conversations are in the train split`);
    expect(res.body.assumptions.join(' ')).not.toContain('sample-extrapolated');
  });

  it('says when the token counts are sample-extrapolated', async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t, 'llama3-sample');
    const res = await postEstimate(t, body({ dataset_id: t.datasetId }));
    expect(res.status).toBe(200);
    expect(res.body.token_count_method).toBe('sample-extrapolated');
    expect(res.body.assumptions.join(' ')).toMatch(/Token counts are sample-extrapolated/);
  });

  it('estimates from a token count when there is no dataset yet (hand-computed)', async () => {
    const t = await trainer({ modality: 'text' });
    const res = await postEstimate(t, body({ tokens: 1_000_000 }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_count_method: 'caller-supplied', duration_seconds: 1967, compute_usd: 1.2021, storage_usd: 0.0007, total_usd: 1.2028, optimizer_steps: null });
    const multi = await postEstimate(t, body({ tokens: 1_000_000, gpu_type: 'h100_80gb', gpu_count: 8 }));
    // 5,200 × 8 × 0.78 = 32,448 tokens/s.
    expect(multi.body.tokens_per_second).toBe(32_448);
  });

  it('overrides layer on the preset; extreme values answer 200 with warnings, out-of-range ones 422', async () => {
    const t = await trainer({ modality: 'text' });
    const warned = await postEstimate(t, body({ tokens: 500_000, preset: 'aggressive', gpu_type: 'a100_40gb', params: { learning_rate: 8e-4, max_seq_len: 8192 } }));
    expect(warned.status).toBe(200);
    expect(warned.body.params).toMatchObject({ rank: 32, learning_rate: 8e-4, max_seq_len: 8192 });
    expect(warned.body.warnings.map((w: { path: string }) => w.path)).toEqual(['learning_rate', 'batch_size']);
    expect(warned.body.warnings[1].message).toMatch(/set batch_size to 6 and gradient_accumulation to 3/);
    expect(warned.body.memory).toMatchObject({ fits: false, available_gb: 40 });

    const refused = await postEstimate(t, body({ tokens: 500_000, params: { learning_rate: 0.05, target_modules: ['lm_head'] } }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((d: { path: string }) => d.path)).toEqual(['params.learning_rate', 'params.target_modules']);
    expect(refused.body.error.message).toBe('Training params are invalid at "params.learning_rate": must be above 0 and at most 0.01.');
    const tooLong = await postEstimate(t, body({ tokens: 500_000, params: { max_seq_len: 16_384 } }));
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.error.details[0].path).toBe('params.max_seq_len');
  });

  it('422: exactly one of dataset_id and tokens, a known text base, a listed GPU', async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [body({}), 'dataset_id', /exactly one of dataset_id or tokens/],
      [body({ dataset_id: t.datasetId, tokens: 1000 }), 'dataset_id', /exactly one of dataset_id or tokens/],
      [body({ tokens: 1000, base_model: 'flux-dev' }), 'base_model', /estimates are for text LoRAs; FLUX.1 \[dev\] is an image base/],
      [body({ tokens: 1000, base_model: 'nope' }), 'base_model', /unknown base model "nope"/],
      [body({ tokens: 1000, gpu_count: 3 }), 'gpu_count', /./],
      [body({ tokens: 1000, gpu_type: 'l40s' }), 'gpu_type', /./],
      [body({ tokens: 1000, preset: 'wild' }), 'preset', /./],
      [body({ tokens: 0 }), 'tokens', /./],
    ];
    for (const [b, path, message] of cases) {
      const res = await postEstimate(t, b);
      expect(res.status, JSON.stringify(b)).toBe(422);
      expect(res.body.error.details[0].path, JSON.stringify(b)).toBe(path);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it("another workspace's dataset → 404; not validated → 412; an image dataset → 422", async () => {
    const a = await trainer({ modality: 'text' });
    const b = await trainer({ modality: 'text' });
    await withReport(b);
    expect((await postEstimate(a, body({ dataset_id: b.datasetId }))).status).toBe(404);
    expect((await postEstimate(a, body({ dataset_id: 'ds_doesnotexist' }))).status).toBe(404);

    const validating = await insertDataset({ workspaceId: a.workspaceId, ownerId: a.userId, modelId: a.modelId, modality: 'text', status: 'validating' });
    const pending = await postEstimate(a, body({ dataset_id: validating }));
    expect(pending.status).toBe(412);
    expect(pending.body.error.details).toEqual({ dataset_status: 'validating' });
    // Ready, but its report has no token statistics (e.g. written before they existed).
    const noStats = await postEstimate(a, body({ dataset_id: a.datasetId }));
    expect(noStats.status).toBe(412);
    expect(noStats.body.error.message).toMatch(/no token statistics/);

    const img = await trainer({ modality: 'image' });
    const image = await postEstimate(img, body({ dataset_id: img.datasetId }));
    expect(image.status).toBe(422);
    expect(image.body.error.details[0].path).toBe('dataset_id');
  });

  it('needs a signed-in caller, writes nothing, and is documented', async () => {
    expect((await call(estimateRoute.POST, '/api/lora/jobs/estimate', { body: body({ tokens: 1000 }) })).status).toBe(401);
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    await postEstimate(t, body({ dataset_id: t.datasetId }));
    const db = await getDb();
    expect(await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, t.workspaceId))).toHaveLength(0);
    const op = buildOpenApiDocument().paths['/api/lora/jobs/estimate']?.post as { responses: Record<string, unknown>; requestBody: unknown } | undefined;
    expect(op).toBeDefined();
    for (const f of ['total_usd', 'duration_seconds', 'assumptions', 'token_count_method']) expect(JSON.stringify(op!.responses)).toContain(`"${f}"`);
    for (const f of ['dataset_id', 'tokens', 'gpu_type', 'gpu_count', 'preset']) expect(JSON.stringify(op!.requestBody)).toContain(`"${f}"`);
  });
});

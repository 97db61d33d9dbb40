import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import { getDb, tables } from '@/server/db';
import { call } from '../helpers/http.ts';
import { jobBody, lease, postJob, sendEvent, trainer, workerToken, type Trainer } from './fixtures.ts';
import { postEstimate, withReport } from './text-fixtures.ts';

const textJob = (t: Trainer, extra: Record<string, unknown> = {}) => jobBody(t, { params: {}, ...extra }, 'text');
const get = (t: Trainer, id: string) => call(jobRoute.GET, `/api/lora/jobs/${id}`, { cookie: t.cookie, params: { id } });
const GPU_WORKER = { modalities: ['text'], base_families: ['llama'], backends: ['axolotl'], gpu: { name: 'NVIDIA A100-SXM4-80GB', vram_mb: 81920, count: 1 } };

async function leaseJob(id: string, caps?: object) {
  const token = await workerToken();
  for (let l = await lease(token, 'w-1', caps); l.body?.spec?.job_id !== id; l = await lease(token, 'w-1', caps)) if (l.status !== 200) throw new Error(`not leased: ${l.status}`);
}

describe('text jobs: preset, GPU choice and the stored estimate', () => {
  it('preset balanced on A100 80 GB × 1: preset params on the version, the estimate stored on the job', async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    const res = await postJob(t, textJob(t, { preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 1 }));
    expect(res.status).toBe(201);
    expect(res.body.version.params).toEqual({
      epochs: 5,
      learning_rate: 2e-4,
      batch_size: 8,
      rank: 16,
      alpha: 32,
      dropout: 0.1,
      warmup_steps: 20,
      weight_decay: 0.01,
      gradient_accumulation: 1,
      max_grad_norm: 1,
      optimizer: 'adamw_torch',
      scheduler: 'cosine',
      target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
    });
    // The job carries exactly what the configurator showed for the same choice.
    const shown = await postEstimate(t, { base_model: 'llama-3.1-8b-instruct', dataset_id: t.datasetId, preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 1 });
    expect(res.body.estimate).toEqual(shown.body);
    expect(res.body.cost_estimate_usd).toBe(shown.body.total_usd.toFixed(4));
    expect(res.body.gpu).toEqual({ type: 'a100_80gb', count: 1 });
    expect(res.body).toMatchObject({ cost_so_far_usd: 0, cost_basis: 'Not started yet: nothing billed.' });

    const db = await getDb();
    const [row] = await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.id, res.body.id));
    expect(Number(row!.costEstimateUsd)).toBe(shown.body.total_usd);
    expect(row!.estimateJson).toMatchObject({ version: 1, gpu_type: 'a100_80gb', gpu_count: 1, preset: 'balanced', estimate: { total_usd: shown.body.total_usd } });
    const [audit] = await db.select().from(tables.auditLog).where(eq(tables.auditLog.targetId, res.body.id));
    expect(audit!.metadata).toMatchObject({ preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 1, cost_estimate_usd: shown.body.total_usd });
    const listed = await call(jobsRoute.GET, '/api/lora/jobs', { cookie: t.cookie });
    expect(listed.body.data[0]).toMatchObject({ id: res.body.id, cost_estimate_usd: res.body.cost_estimate_usd, gpu: { type: 'a100_80gb', count: 1 }, estimate: { total_usd: shown.body.total_usd } });
  });

  it('overrides layer on the preset; without one the base defaults and A100 80 GB × 1 apply', async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    const custom = await postJob(t, textJob(t, { preset: 'conservative', gpu_type: 'h100_80gb', gpu_count: 4, params: { rank: 12, epochs: 2 } }));
    expect(custom.status).toBe(201);
    expect(custom.body.version.params).toMatchObject({ rank: 12, alpha: 16, epochs: 2, learning_rate: 1e-4, batch_size: 4, dropout: 0.05 });
    expect(custom.body.estimate).toMatchObject({ preset: 'conservative', epochs: 2, gpu: { type: 'h100_80gb', count: 4 }, params: { rank: 12 } });
    const plain = await postJob(t, textJob(t));
    expect(plain.body.version.params).toEqual({ epochs: 5, learning_rate: 2e-4, rank: 16, alpha: 32, batch_size: 8, dropout: 0.1 });
    expect(plain.body.gpu).toEqual({ type: 'a100_80gb', count: 1 });
    expect(plain.body.estimate).toMatchObject({ preset: null, gpu: { type: 'a100_80gb', count: 1 } });
  });

  it('preset or GPU on an image base → 422 naming the field; nothing written', async () => {
    const t = await trainer();
    for (const [extra, path] of [
      [{ preset: 'balanced' }, 'preset'],
      [{ gpu_type: 'h100_80gb' }, 'gpu_type'],
      [{ gpu_count: 2 }, 'gpu_count'],
    ] as const) {
      const res = await postJob(t, jobBody(t, extra));
      expect(res.status).toBe(422);
      expect(res.body.error.details[0].path).toBe(path);
      expect(res.body.error.message).toMatch(/applies to text LoRAs only; Stable Diffusion XL base 1.0 is an image base/);
    }
    const db = await getDb();
    expect(await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, t.workspaceId))).toHaveLength(0);
    const plain = await postJob(t, jobBody(t));
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ estimate: null, cost_estimate_usd: null, gpu: null, cost_so_far_usd: null, cost_basis: null });
  });

  it('text params out of range → 422 naming the field', async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    const cases: [Record<string, unknown>, string][] = [
      [{ learning_rate: 0.05 }, 'params.learning_rate'],
      [{ batch_size: 512 }, 'params.batch_size'],
      [{ dropout: 0.7 }, 'params.dropout'],
      [{ target_modules: ['lm_head'] }, 'params.target_modules'],
      [{ scheduler: 'one_cycle' }, 'params.scheduler'],
      [{ gradient_accumulation: 0 }, 'params.gradient_accumulation'],
    ];
    for (const [params, path] of cases) {
      const res = await postJob(t, textJob(t, { preset: 'balanced', params }));
      expect(res.status, JSON.stringify(params)).toBe(422);
      expect(res.body.error.details[0].path).toBe(path);
    }
    const gpu = await postJob(t, textJob(t, { gpu_count: 3 }));
    expect(gpu.status).toBe(422);
    expect(gpu.body.error.details[0].path).toBe('gpu_count');
  });

  it('a ready text dataset without token statistics still trains; the GPU choice is kept, the estimate is null', async () => {
    const t = await trainer({ modality: 'text' });
    const res = await postJob(t, textJob(t, { preset: 'aggressive', gpu_type: 'a100_40gb', gpu_count: 2 }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ estimate: null, cost_estimate_usd: null, gpu: { type: 'a100_40gb', count: 2 } });
    const [row] = await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, res.body.id));
    expect(row!.estimateJson).toMatchObject({ preset: 'aggressive', estimate: null, estimate_unavailable: "the dataset's quality report has no token statistics" });
  });

  it('cost so far: the chosen GPU price over started → finished on a GPU backend', async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    const id = (await postJob(t, textJob(t, { preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 2 }))).body.id;
    await leaseJob(id, GPU_WORKER);
    await sendEvent({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w-1', backend: 'axolotl', gpu: 'NVIDIA A100-SXM4-80GB' } });
    const running = await get(t, id);
    expect(running.body).toMatchObject({ status: 'running', backend: 'axolotl' });
    expect(running.body.cost_so_far_usd).toBeGreaterThanOrEqual(0);
    expect(running.body.cost_basis).toMatch(/^[\d,]+ s \(started → now\) × 2 × A100 80 GB at \$2\.20 per GPU-hour/);
    await sendEvent({ type: 'job.failed', job_id: id, attempt: 1, seq: 1, data: { code: 'backend_error', message: 'CUDA out of memory', retryable: false, last_lines: [] } });
    const done = (await get(t, id)).body;
    expect(done.status).toBe('failed');
    const seconds = (Date.parse(done.finished_at) - Date.parse(done.started_at)) / 1000;
    expect(done.cost_so_far_usd).toBe(Math.round((seconds / 3600) * 2.2 * 2 * 1e4) / 1e4);
    expect(done.cost_basis).toMatch(/\(started → finished\)/);
  });

  it("cost so far on cpu-reference is 0, and says the worker's CPU bills no GPU", async () => {
    const t = await trainer({ modality: 'text' });
    await withReport(t);
    const id = (await postJob(t, textJob(t, { preset: 'conservative' }))).body.id;
    await leaseJob(id);
    await sendEvent({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w-1', backend: 'cpu-reference', gpu: null } });
    const res = await get(t, id);
    expect(res.body).toMatchObject({ backend: 'cpu-reference', cost_so_far_usd: 0, cost_basis: "cpu-reference runs on the worker's CPU: no GPU billed", gpu: { type: 'a100_80gb', count: 1 } });
    expect(res.body.estimate.total_usd).toBeGreaterThan(0);
  });
});

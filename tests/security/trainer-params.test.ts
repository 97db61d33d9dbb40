// Issue #11 / #9: training params are a typed allow-list. Unknown keys and free-form optimizer /
// scheduler strings (kohya imports any `module.Class` named in --optimizer_type) are refused
// with a 422 naming the field, at job creation and at the estimate; every preset still passes.
import { supportedTrainerOptions, TrainingParams } from '@lora-studio/protocol';
import { describe, expect, it } from 'vitest';
import { BASE_MODELS } from '@/server/catalog/base-models';
import { OPTIMIZERS, SCHEDULERS, TEXT_PRESETS } from '@/server/catalog/text-presets';
import { jobBody, postJob, trainer } from '../jobs/fixtures.ts';
import { postEstimate } from '../jobs/text-fixtures.ts';
import { expectError, jobRow, versionRow, type Answer } from './helpers.ts';

const paths = (res: Answer) => (res.body.error.details as { path: string }[]).map((d) => d.path);

function expectRefused(res: Answer, field: string, label: string) {
  expectError(res, 422, 'unprocessable_entity', label);
  expect(paths(res), label).toContain(field);
  expect(res.body.error.message, label).toContain(field);
}

const FREE_FORM_OPTIMIZERS = ['bitsandbytes.optim.AdamW8bit', 'os.system', 'torch.optim.AdamW', 'AdamW8bit; rm -rf /'];
const FREE_FORM_SCHEDULERS = ['torch.optim.lr_scheduler.LambdaLR', 'one_cycle', 'cosine --lr_scheduler_type=os.system'];

describe('job creation refuses params outside the allow-list', () => {
  it('an unknown key → 422 naming params.<key>', async () => {
    const t = await trainer();
    const res = await postJob(t, jobBody(t, { params: { steps: 50, rank: 8, alpha: 8, network_module: 'os' } }));
    expectRefused(res, 'params.network_module', 'unknown key');
    expect(res.body.error.message).toMatch(/unknown/i);
    const text = await trainer({ modality: 'text' });
    expectRefused(await postJob(text, jobBody(text, { params: { epochs: 1, rank: 8, lr_scheduler_type: 'os.system' } }, 'text')), 'params.lr_scheduler_type', 'unknown key (text)');
  });

  it('a free-form optimizer or scheduler → 422 naming params.optimizer / params.scheduler', async () => {
    const t = await trainer();
    for (const optimizer of FREE_FORM_OPTIMIZERS) {
      expectRefused(await postJob(t, jobBody(t, { params: { steps: 50, rank: 8, alpha: 8, optimizer } })), 'params.optimizer', `optimizer ${optimizer}`);
    }
    for (const scheduler of FREE_FORM_SCHEDULERS) {
      expectRefused(await postJob(t, jobBody(t, { params: { steps: 50, rank: 8, alpha: 8, scheduler } })), 'params.scheduler', `scheduler ${scheduler}`);
    }
  });

  it('an enumerated value the base model’s backends do not have → 422; supported ones → 201', async () => {
    const t = await trainer();
    // ai-toolkit (Flux, and one of SDXL's trainers) has no SGD; diffusers' polynomial decay does not take its arguments.
    expectRefused(await postJob(t, jobBody(t, { base_model: 'flux-dev', params: { steps: 50, rank: 8, alpha: 8, optimizer: 'sgd' } })), 'params.optimizer', 'sgd on flux');
    expectRefused(await postJob(t, jobBody(t, { params: { steps: 50, rank: 8, alpha: 8, scheduler: 'polynomial' } })), 'params.scheduler', 'polynomial on sdxl');
    expectRefused(await postJob(t, jobBody(t, { params: { steps: 50, rank: 8, alpha: 8, optimizer: 'paged_adamw_8bit' } })), 'params.optimizer', 'a text optimizer on sdxl');
    const ok = await postJob(t, jobBody(t, { params: { steps: 50, rank: 8, alpha: 8, optimizer: 'prodigy', scheduler: 'cosine_with_restarts' } }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect((await versionRow((await jobRow(ok.body.id)).loraVersionId)).paramsJson).toMatchObject({ optimizer: 'prodigy', scheduler: 'cosine_with_restarts' });
  });
});

describe('the estimate refuses the same params', () => {
  const body = (params: Record<string, unknown>) => ({ base_model: 'llama-3.1-8b-instruct', preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 1, tokens: 100_000, params });

  it('unknown key, free-form optimizer, free-form scheduler → 422 naming the field', async () => {
    const t = await trainer({ modality: 'text' });
    expectRefused(await postEstimate(t, body({ deepspeed: '/etc/passwd' })), 'params.deepspeed', 'unknown key');
    for (const optimizer of FREE_FORM_OPTIMIZERS) expectRefused(await postEstimate(t, body({ optimizer })), 'params.optimizer', `optimizer ${optimizer}`);
    for (const scheduler of FREE_FORM_SCHEDULERS) expectRefused(await postEstimate(t, body({ scheduler })), 'params.scheduler', `scheduler ${scheduler}`);
    const ok = await postEstimate(t, body({ optimizer: 'paged_adamw_8bit', scheduler: 'linear' }));
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});

describe('presets are inside the allow-list', () => {
  it('every base model default and every text preset parses with the strict protocol schema', () => {
    for (const b of BASE_MODELS) expect(TrainingParams.safeParse(b.defaultParams).success, b.id).toBe(true);
    for (const p of Object.values(TEXT_PRESETS)) expect(TrainingParams.safeParse(p.params).success, p.id).toBe(true);
  });

  it('every optimizer and scheduler the text configurator offers is one axolotl has', () => {
    expect(supportedTrainerOptions('optimizer', ['axolotl', 'cpu-reference'])).toEqual(expect.arrayContaining([...OPTIMIZERS]));
    expect(supportedTrainerOptions('scheduler', ['axolotl', 'cpu-reference'])).toEqual(expect.arrayContaining([...SCHEDULERS]));
  });
});

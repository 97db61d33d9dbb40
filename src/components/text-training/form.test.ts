import { describe, expect, it } from 'vitest';
import { BASE_MODELS, type BaseModelSeed } from '@/server/catalog/base-models';
import { presetParams, TEXT_PRESET_IDS } from '@/server/catalog/text-presets';
import type { BaseModel } from '@/server/db/schema/index.ts';
import { resolveParams } from '@/server/jobs/params';
import { checkValues, estimateBody, isModified, overridesFrom, serverFieldErrors, valuesFromPreset, type TextBaseOption } from './form.ts';

const seed = BASE_MODELS.find((b) => b.id === 'llama-3.1-8b-instruct')!;
const base: TextBaseOption = { id: seed.id, name: seed.name, contextLength: seed.contextLength, throughput: seed.throughput };
const asRow = (s: BaseModelSeed) => ({ ...s, enabled: true, createdAt: new Date() }) as unknown as BaseModel;

describe('text configurator form', () => {
  it('each preset fills the fields with no error, no warning and nothing to override', () => {
    for (const id of TEXT_PRESET_IDS) {
      const v = valuesFromPreset(id);
      const c = checkValues(v, base);
      expect(c).toMatchObject({ errors: {}, warnings: {}, hasErrors: false });
      expect(c.params).toEqual(presetParams(id));
      expect(overridesFrom(c.params, id)).toEqual({});
      expect(isModified(v, id)).toBe(false);
    }
  });

  it('sends only edits, and the server resolves preset + edits to exactly the form params', () => {
    const v = { ...valuesFromPreset('aggressive'), rank: '24', scheduler: 'linear', target_modules: ['q_proj', 'v_proj'], max_seq_len: '4096' };
    const c = checkValues(v, base);
    const overrides = overridesFrom(c.params, 'aggressive');
    expect(overrides).toEqual({ rank: 24, scheduler: 'linear', target_modules: ['q_proj', 'v_proj'], max_seq_len: 4096 });
    expect(resolveParams(asRow(seed), overrides, presetParams('aggressive'))).toEqual(c.params);
    expect(isModified(v, 'aggressive')).toBe(true);
  });

  it('shows errors and warnings per field, in sentences', () => {
    const c = checkValues({ ...valuesFromPreset('balanced'), learning_rate: '', rank: 'abc', max_seq_len: '16384' }, base);
    expect(c.errors).toEqual({ learning_rate: ['Enter learning rate.'], rank: ['Enter a number.'], max_seq_len: ["Must be at most the base model's context of 8,192 tokens"] });
    const w = checkValues({ ...valuesFromPreset('balanced'), epochs: '20' }, base);
    expect(w.warnings).toEqual({ epochs: ['20 is above the typical 1–10: likely to overfit: the model starts repeating training conversations'] });
  });

  it('asks the estimate for the dataset, or for a token count before there is one', () => {
    const check = checkValues(valuesFromPreset('balanced'), base);
    const common = { base, preset: 'balanced' as const, check, gpuType: 'a100_80gb' as const, gpuCount: 1 as const };
    expect(estimateBody({ ...common, datasetId: 'ds_abc', tokens: '' }).body).toEqual({ base_model: seed.id, dataset_id: 'ds_abc', preset: 'balanced', params: {}, gpu_type: 'a100_80gb', gpu_count: 1 });
    expect(estimateBody({ ...common, datasetId: null, tokens: '' }).reason).toMatch(/enter a number of tokens/);
    expect(estimateBody({ ...common, datasetId: null, tokens: '250000' }).body).toMatchObject({ tokens: 250_000 });
    expect(estimateBody({ ...common, datasetId: null, tokens: '2.5' }).body).toBeNull();
    const bad = checkValues({ ...valuesFromPreset('balanced'), dropout: '0.9' }, base);
    expect(estimateBody({ ...common, check: bad, datasetId: 'ds_abc', tokens: '' }).reason).toBe('Fix the highlighted settings to see an estimate.');
  });

  it("puts the server's 422 details on their fields", () => {
    const { fields, other } = serverFieldErrors([
      { path: 'params.learning_rate', message: 'must be above 0 and at most 0.01' },
      { path: 'gpu_count', message: 'Invalid input' },
    ]);
    expect(fields).toEqual({ learning_rate: ['Must be above 0 and at most 0.01'] });
    expect(other).toEqual(['gpu_count: Invalid input']);
  });
});

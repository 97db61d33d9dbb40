import { describe, expect, it } from 'vitest';
import { BASE_MODELS, type BaseModelSeed } from '@/server/catalog/base-models';
import type { BaseModel } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { pricePerGpuHour } from '@/server/jobs/config';
import { resolveParams } from '@/server/jobs/params';
import { GPU_USD_PER_HOUR, loraParamsPerRank, TEXT_ARCHITECTURES } from './pricing.ts';
import { ADVANCED_RANGES, GPU_TYPES, presetParams, TEXT_ADVANCED_FIELDS, TEXT_PRESET_IDS, TEXT_PRESETS, textParamErrors, textParamWarnings } from './text-presets.ts';

const textSeeds = BASE_MODELS.filter((b) => b.modality === 'text');
const asRow = (s: BaseModelSeed) => ({ ...s, enabled: true, createdAt: new Date() }) as unknown as BaseModel;
const llama = asRow(textSeeds.find((s) => s.id === 'llama-3.1-8b-instruct')!);

/** The `params.<field>` paths the server refuses for these overrides (empty = accepted). */
function serverRefusals(overrides: Record<string, unknown>): string[] {
  try {
    resolveParams(llama, overrides, presetParams('balanced'));
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return (err.details as { path: string }[]).map((d) => d.path);
  }
}
const paths = (ps: { path: string }[]) => ps.map((p) => p.path);

describe('text presets', () => {
  it('carry the DESIGN values', () => {
    const pick = (id: (typeof TEXT_PRESET_IDS)[number]) => {
      const p = TEXT_PRESETS[id].params;
      return [p.rank, p.alpha, p.learning_rate, p.epochs, p.batch_size, p.dropout];
    };
    expect(pick('conservative')).toEqual([8, 16, 1e-4, 3, 4, 0.05]);
    expect(pick('balanced')).toEqual([16, 32, 2e-4, 5, 8, 0.1]);
    expect(pick('aggressive')).toEqual([32, 64, 3e-4, 10, 16, 0.1]);
    expect(TEXT_PRESETS.balanced.params.target_modules).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj']);
    expect(TEXT_PRESETS.aggressive.params.target_modules).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
  });

  it('are valid, unremarkable, and accepted by the server for every text base', () => {
    for (const id of TEXT_PRESET_IDS) {
      const p = presetParams(id) as Record<string, unknown>;
      expect(textParamErrors(p), id).toEqual([]);
      expect(textParamWarnings(p), id).toEqual([]);
      for (const seed of textSeeds) expect(resolveParams(asRow(seed), {}, p)).toMatchObject({ rank: p.rank, epochs: p.epochs });
    }
  });

  it('hands out copies: changing one does not change the preset', () => {
    const p = presetParams('balanced');
    p.target_modules.push('gate_proj');
    expect(TEXT_PRESETS.balanced.params.target_modules).toHaveLength(4);
  });
});

describe('advanced ranges', () => {
  it('the server refuses exactly what textParamErrors refuses, at every numeric boundary', () => {
    for (const field of TEXT_ADVANCED_FIELDS) {
      const r = ADVANCED_RANGES[field];
      if (r.kind !== 'number') continue;
      const eps = r.integer ? 1 : r.max * 1e-6;
      const probes = [r.max, r.max + eps, r.minExclusive ? r.min : r.min - eps, r.minExclusive ? r.min + eps : r.min];
      for (const v of probes) {
        const client = paths(textParamErrors({ [field]: v }, { contextLength: llama.contextLength })).includes(field);
        expect(serverRefusals({ [field]: v }).includes(`params.${field}`), `${field}=${v}`).toBe(client);
      }
    }
  });

  it('names the field and says what is allowed', () => {
    expect(textParamErrors({ learning_rate: 0.05 })).toEqual([{ path: 'learning_rate', message: 'must be above 0 and at most 0.01' }]);
    expect(textParamErrors({ rank: 2.5 })).toEqual([{ path: 'rank', message: 'must be a whole number' }]);
    expect(textParamErrors({ epochs: '3' })).toEqual([{ path: 'epochs', message: 'must be a number' }]);
    expect(textParamErrors({ dropout: 0.6 })[0]!.message).toBe('must be between 0 and 0.5');
    expect(textParamErrors({ optimizer: 'adam' })[0]!.message).toMatch(/^must be one of adamw_torch, /);
    expect(textParamErrors({ scheduler: 'cosine' })).toEqual([]);
    expect(textParamErrors({ target_modules: [] })[0]!.message).toBe('choose at least one module');
    expect(textParamErrors({ target_modules: ['q_proj', 'lm_head'] })[0]!.message).toMatch(/^unknown module "lm_head"/);
    expect(textParamErrors({ target_modules: ['q_proj', 'q_proj'] })[0]!.message).toBe('lists "q_proj" twice');
    expect(textParamErrors({ target_modules: 'q_proj' })[0]!.message).toBe('must be a list of module names');
    expect(textParamErrors({ max_seq_len: 16_384 }, { contextLength: 8192 })).toEqual([{ path: 'max_seq_len', message: "must be at most the base model's context of 8,192 tokens" }]);
    expect(serverRefusals({ target_modules: ['lm_head'] })).toEqual(['params.target_modules']);
    expect(serverRefusals({ optimizer: 'adam' })).toEqual(['params.optimizer']);
    // One message per field even when the protocol's own rule fires too.
    expect(serverRefusals({ rank: 300 })).toEqual(['params.rank']);
  });

  it('warns on extreme-but-allowed values with what is likely to happen', () => {
    const w = (p: Record<string, unknown>) => textParamWarnings({ ...presetParams('balanced'), ...p });
    expect(w({ learning_rate: 8e-4 })).toEqual([{ path: 'learning_rate', message: '8e-4 is above the typical 1e-5–5e-4: may diverge (loss spikes or NaN)' }]);
    expect(paths(w({ rank: 128, alpha: 256 }))).toEqual(['rank']);
    expect(w({ alpha: 128 })).toEqual([{ path: 'alpha', message: 'alpha/rank = 8, above 4: updates are scaled up strongly and training may be unstable' }]);
    expect(w({ alpha: 4 })[0]!.message).toMatch(/^alpha\/rank = 0.25, below 0.5/);
    expect(w({ epochs: 12 })[0]!.message).toMatch(/likely to overfit/);
    expect(paths(w({ dropout: 0.35 }))).toEqual(['dropout']);
    expect(paths(w({ batch_size: 16, gradient_accumulation: 16 }))).toEqual(['gradient_accumulation']);
    expect(w({ batch_size: 16, gradient_accumulation: 16 })[0]!.message).toMatch(/effective batch 256/);
    expect(paths(w({ target_modules: ['gate_proj', 'up_proj'] }))).toEqual(['target_modules']);
    expect(paths(w({ scheduler: 'constant' }))).toEqual(['scheduler']);
    expect(w({ scheduler: 'constant', warmup_steps: 0 })).toEqual([]);
    expect(paths(w({ optimizer: 'sgd' }))).toEqual(['optimizer']);
    expect(paths(w({ max_seq_len: 16_384 }))).toEqual(['max_seq_len']);
  });
});

describe('pricing figures', () => {
  it('bill GPUs at the same hourly rates actual runs are charged', () => {
    expect(GPU_USD_PER_HOUR).toEqual({ a100_40gb: 1.6, a100_80gb: 2.2, h100_80gb: 3.5 });
    expect(GPU_USD_PER_HOUR.h100_80gb).toBe(pricePerGpuHour('H100'));
  });

  it('every text base has throughput for every GPU type and an architecture for adapter size and memory', () => {
    for (const seed of textSeeds) {
      for (const g of GPU_TYPES) expect(seed.throughput[g.id], `${seed.id} ${g.id}`).toBeGreaterThan(0);
      expect(TEXT_ARCHITECTURES[seed.id], seed.id).toBeDefined();
    }
  });

  it('LoRA parameters per rank: r × (in + out) per module per layer', () => {
    const l = TEXT_ARCHITECTURES['llama-3.1-8b-instruct']!;
    // q 4096→4096, k/v 4096→1024, o 4096→4096: 8192 + 5120 + 5120 + 8192 = 26,624 per layer × 32.
    expect(loraParamsPerRank(l, ['q_proj', 'k_proj', 'v_proj', 'o_proj'])).toBe(851_968);
    // gate/up 4096→14336, down 14336→4096: 3 × 18,432 = 55,296 per layer × 32.
    expect(loraParamsPerRank(l, ['gate_proj', 'up_proj', 'down_proj'])).toBe(1_769_472);
    const q = TEXT_ARCHITECTURES['qwen2.5-7b-instruct']!;
    // q/o 3584→3584, k/v 3584→512: 7168 + 4096 + 4096 + 7168 = 22,528 per layer × 28.
    expect(loraParamsPerRank(q, ['q_proj', 'k_proj', 'v_proj', 'o_proj'])).toBe(630_784);
  });
});

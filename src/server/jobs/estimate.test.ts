import { describe, expect, it } from 'vitest';
import { BASE_MODELS } from '@/server/catalog/base-models';
import { presetParams, type TextPresetId } from '@/server/catalog/text-presets';
import type { LoraJob } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { estimateTextJob, type EstimateTextJobInput } from './estimate.ts';
import { CPU_REFERENCE_BASIS, estimateRecord, jobCostView } from './job-cost.ts';

const base = (id: string) => {
  const s = BASE_MODELS.find((b) => b.id === id)!;
  return { id: s.id, name: s.name, contextLength: s.contextLength, throughput: s.throughput };
};
const preset = (id: TextPresetId, extra: Record<string, unknown> = {}) => ({ ...presetParams(id), ...extra }) as Record<string, unknown>;
const input = (p: Partial<EstimateTextJobInput>): EstimateTextJobInput => ({
  base: base('llama-3.1-8b-instruct'),
  tokensPerEpoch: 1_000_000,
  tokenMethod: 'caller-supplied',
  params: preset('balanced'),
  gpuType: 'a100_80gb',
  gpuCount: 1,
  ...p,
});

describe('estimateTextJob (hand-computed)', () => {
  it('Llama 3.1 8B, 1M tokens/epoch, Balanced, one A100 80 GB', () => {
    const e = estimateTextJob(input({}));
    // 5 epochs × 1,000,000 = 5,000,000 tokens ÷ 3,000 tokens/s = 1,666.7 s + 300 s start-up → 1,967 s.
    expect(e).toMatchObject({ tokens_per_epoch: 1_000_000, epochs: 5, total_tokens: 5_000_000, tokens_per_second: 3000, duration_seconds: 1967, optimizer_steps: null });
    // 1,967 s / 3,600 × $2.20 = $1.20206.
    expect(e.compute_usd).toBe(1.2021);
    // Adapter: rank 16 × 851,968 params per rank (q,k,v,o) = 13,631,488 params × 2 bytes.
    expect(e.adapter_bytes).toBe(27_262_976);
    // Dataset ~4 bytes/token = 4,000,000 bytes; (27,262,976 + 4,000,000) / 1e9 GB × $0.023 = $0.000719.
    expect(e.dataset_bytes).toBe(4_000_000);
    expect(e.storage_usd).toBe(0.0007);
    expect(e.total_usd).toBe(1.2028);
    expect(e.gpu).toEqual({ type: 'a100_80gb', label: 'A100 80 GB', count: 1, usd_per_hour: 2.2, vram_gb: 80 });
    // Memory: 16.06 GB weights + 13,631,488 × 16 B = 0.218 GB + 2 GB + 8 × 2048 tokens × 32 × 4096 × 3 B = 6.442 GB.
    expect(e.memory).toEqual({ required_gb: 24.7206, available_gb: 80, fits: true, micro_batch: 8, sequence_length: 2048 });
    expect(e.warnings).toEqual([]);
    expect(e.token_count_method).toBe('caller-supplied');
    expect(e.assumptions.join(' ')).toMatch(/3,000 tokens\/s per A100 80 GB/);
    expect(e.assumptions.join(' ')).toMatch(/as supplied with the request/);
  });

  it('Qwen2.5 7B on 4 × H100, Aggressive, from a sample-extrapolated dataset report', () => {
    const e = estimateTextJob(
      input({
        base: base('qwen2.5-7b-instruct'),
        tokensPerEpoch: 2_500_000,
        tokenMethod: 'sample-extrapolated',
        params: preset('aggressive'),
        gpuType: 'h100_80gb',
        gpuCount: 4,
        preset: 'aggressive',
        dataset: { bytes: 12_000_000, trainConversations: 1900, conversations: 2000, longestConversationTokens: 3000, tokenizer: 'Llama 3 (sampled)' },
      }),
    );
    // 5,600 × 4 × 0.85 = 19,040 tokens/s; 25,000,000 / 19,040 = 1,313.03 s + 300 → 1,614 s.
    expect(e).toMatchObject({ total_tokens: 25_000_000, tokens_per_second: 19_040, duration_seconds: 1614, preset: 'aggressive' });
    // 1,614 / 3,600 × $3.50 × 4 = $6.27667.
    expect(e.compute_usd).toBe(6.2767);
    // Qwen per rank, all 7 modules: 28 × (22,528 + 67,584) = 2,523,136; × 32 × 2 bytes.
    expect(e.adapter_bytes).toBe(161_480_704);
    // (12,000,000 + 161,480,704) / 1e9 × $0.023 = $0.00399.
    expect(e.storage_usd).toBe(0.004);
    expect(e.total_usd).toBe(6.2807);
    // Global batch 16 × 1 × 4 GPUs = 64: ceil(1,900 / 64) = 30 steps × 10 epochs.
    expect(e.optimizer_steps).toBe(300);
    // Sequence: min(2048 default, longest 3,000) = 2048; 15.24 + 1.2918 + 2 + 16 × 0.61656 GB.
    expect(e.memory).toMatchObject({ required_gb: 28.3968, fits: true, sequence_length: 2048 });
    expect(e.token_count_method).toBe('sample-extrapolated');
    expect(e.assumptions).toContain('Token counts are sample-extrapolated: an exact tokenizer ran on a sample and the rest was scaled, so expect a few per cent either way.');
    expect(e.assumptions.join(' ')).toMatch(/4 GPUs data-parallel at 85 % scaling efficiency each: 19,040 tokens\/s together/);
    expect(e.assumptions.join(' ')).toMatch(/1,900 of 2,000 usable conversations are in the train split/);
  });

  it('two GPUs keep 92 % each; a dataset shorter than max_seq_len is padded to its longest conversation', () => {
    const e = estimateTextJob(input({ gpuCount: 2, params: preset('balanced', { max_seq_len: 4096 }), dataset: { bytes: 1000, trainConversations: 100, conversations: 110, longestConversationTokens: 900, tokenizer: null } }));
    expect(e.tokens_per_second).toBe(5520);
    expect(e.memory?.sequence_length).toBe(900);
  });

  it('A100 40 GB with batch 16 × 8,192 tokens: memory warning that suggests gradient accumulation', () => {
    const e = estimateTextJob(input({ gpuType: 'a100_40gb', params: preset('aggressive', { max_seq_len: 8192 }) }));
    // 16.06 + 83,886,080 × 16 B (1.342) + 2 + 16 × 8192 × 393,216 B (51.54) = 70.94 GB > 40 GB.
    expect(e.memory).toEqual({ required_gb: 70.9418, available_gb: 40, fits: false, micro_batch: 16, sequence_length: 8192 });
    // (40 − 19.402) / 3.2212 GB per conversation → 6 fit; 16 / 6 → accumulate 3.
    expect(e.warnings).toEqual([
      {
        path: 'batch_size',
        message: "batch 16 × 8,192 tokens needs about 71 GB per GPU, more than the A100 40 GB's 40 GB: set batch_size to 6 and gradient_accumulation to 3 to keep the effective batch of 16, or pick an 80 GB GPU",
      },
    ]);
    expect(estimateTextJob(input({ gpuType: 'a100_80gb', params: preset('aggressive', { max_seq_len: 8192 }) })).memory?.fits).toBe(true);
  });

  it('steps become fractional epochs when the conversation count is known, and are refused without it', () => {
    const dataset = { bytes: 1, trainConversations: 800, conversations: 900, longestConversationTokens: null, tokenizer: null };
    const { epochs: _e, ...noEpochs } = preset('balanced');
    const e = estimateTextJob(input({ gpuCount: 2, params: { ...noEpochs, steps: 100, batch_size: 8, gradient_accumulation: 2 }, dataset }));
    // 100 steps × (8 × 2 × 2 GPUs) = 3,200 conversations = 4 passes over 800.
    expect(e).toMatchObject({ epochs: 4, optimizer_steps: 100, total_tokens: 4_000_000 });
    expect(() => estimateTextJob(input({ params: { ...noEpochs, steps: 100 } }))).toThrow(ValidationError);
  });

  it('warns when warm-up is a large share of a short run, and carries the param warnings', () => {
    const dataset = { bytes: 1, trainConversations: 40, conversations: 44, longestConversationTokens: 400, tokenizer: null };
    // Conservative: ceil(40 / 4) = 10 steps × 3 epochs = 30; 10 warm-up steps = 33 %.
    const e = estimateTextJob(input({ params: preset('conservative', { learning_rate: 8e-4 }), dataset }));
    expect(e.optimizer_steps).toBe(30);
    expect(e.warnings.map((w) => w.path)).toEqual(['learning_rate', 'warmup_steps']);
    expect(e.warnings[1]!.message).toBe("10 warm-up steps are 33 % of the run's 30 optimizer steps: lower it to about 2");
  });
});

describe('job cost view', () => {
  const job = (p: Partial<LoraJob>): LoraJob => ({ backend: null, startedAt: null, finishedAt: null, costEstimateUsd: null, estimateJson: null, attempt: 1, ...p }) as LoraJob;
  const record = estimateRecord({ preset: 'balanced', gpuType: 'a100_80gb', gpuCount: 2 }, null);

  it('bills started → finished (or now) × the chosen GPU price × count', () => {
    const startedAt = new Date('2026-01-01T10:00:00Z');
    const finished = jobCostView(job({ backend: 'axolotl', startedAt, finishedAt: new Date('2026-01-01T11:30:00Z'), estimateJson: record }), new Date('2026-02-01T00:00:00Z'));
    // 1.5 h × $2.20 × 2 GPUs.
    expect(finished).toMatchObject({ gpu: { type: 'a100_80gb', count: 2 }, cost_so_far_usd: 6.6, estimate: null });
    expect(finished.cost_basis).toBe('5,400 s (started → finished) × 2 × A100 80 GB at $2.20 per GPU-hour, the GPU chosen at creation.');
    const running = jobCostView(job({ backend: 'axolotl', startedAt, estimateJson: record }), new Date('2026-01-01T10:30:00Z'));
    expect(running.cost_so_far_usd).toBe(2.2);
    expect(jobCostView(job({ estimateJson: record }), new Date()).cost_so_far_usd).toBe(0);
  });

  it('cpu-reference bills nothing and says so; jobs without a GPU choice have no figure', () => {
    const cpu = jobCostView(job({ backend: 'cpu-reference', startedAt: new Date(0), estimateJson: record }), new Date());
    expect(cpu).toMatchObject({ cost_so_far_usd: 0, cost_basis: CPU_REFERENCE_BASIS });
    expect(jobCostView(job({ backend: 'ai-toolkit', startedAt: new Date(0) }), new Date())).toEqual({ cost_estimate_usd: null, estimate: null, gpu: null, cost_so_far_usd: null, cost_basis: null });
  });
});

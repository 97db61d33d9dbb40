// Planning figures for the text-LoRA cost and duration estimate (jobs/estimate.ts). They are
// inputs to an estimate the UI labels as one, not a quote: each figure says where it comes from,
// and the estimate repeats the ones it used in its `assumptions`.
import { pricePerGpuHour } from '@/server/jobs/config';
import type { GpuCount, GpuTypeId } from './text-presets.ts';

/**
 * USD per GPU-hour, taken from the table the actual cost is billed with (jobs/config.ts
 * GPU_PRICES_PER_HOUR, matched on the GPU name a worker reports), so estimate and bill agree.
 */
export const GPU_USD_PER_HOUR: Readonly<Record<GpuTypeId, number>> = {
  a100_40gb: pricePerGpuHour('NVIDIA A100-SXM4-40GB'),
  a100_80gb: pricePerGpuHour('NVIDIA A100-SXM4-80GB'),
  h100_80gb: pricePerGpuHour('NVIDIA H100 80GB HBM3'),
};

/**
 * Throughput kept per GPU when training data-parallel on N GPUs (gradient all-reduce every
 * optimizer step). Typical of DDP/FSDP LoRA runs on one NVLink node; a planning figure.
 */
export const MULTI_GPU_EFFICIENCY: Readonly<Record<GpuCount, number>> = { 1: 1.0, 2: 0.92, 4: 0.85, 8: 0.78 };

/** Billed start-up before the first step: container start, base download (~16 GB) and load. */
export const STARTUP_OVERHEAD_SECONDS = 300;

/** Object storage price (S3 Standard list price) and how long dataset + adapter are counted. */
export const STORAGE_USD_PER_GB_MONTH = 0.023;
export const STORAGE_MONTHS = 1;
/** Dataset size when only a token count is known: JSONL chat text is ~4 bytes per token. */
export const DATASET_BYTES_PER_TOKEN = 4;

/** Adapter weights are saved in bf16 (2 bytes per parameter). */
export const ADAPTER_BYTES_PER_PARAM = 2;
/** Sequence length the axolotl backend trains with when params.max_seq_len is not set. */
export const DEFAULT_TEXT_SEQ_LEN = 2048;

/**
 * GPU memory model (per GPU; each data-parallel GPU holds the whole model and its own batch):
 *   base weights in bf16                    params × 2 bytes
 * + trainable adapter state                 LoRA params × 16 bytes (fp32 copy, grad, Adam m and v)
 * + activations with gradient checkpointing batch × seq × layers × hidden × 2 bytes × 1.5
 *   (the checkpointed layer inputs plus ~50 % for the layer being recomputed; logits are assumed
 *   computed in chunks, as axolotl's fused cross-entropy does)
 * + CUDA context and allocator slack        2 GB
 * GB = 10⁹ bytes; a card's 40/80 GiB are compared as 40/80 GB, a ~7 % safety margin.
 */
export const MEMORY_MODEL = {
  weightBytesPerParam: 2,
  adapterStateBytesPerParam: 16,
  activationFactor: 1.5,
  activationBytesPerValue: 2,
  overheadGb: 2,
} as const;

/** Shapes from each base's config.json on the Hugging Face Hub (the catalog's hfRepo). */
export interface TextArchitecture {
  paramsBillion: number;
  layers: number;
  hidden: number;
  /** num_key_value_heads × head_dim: the output width of k_proj and v_proj (grouped-query attention). */
  kvDim: number;
  intermediate: number;
}

export const TEXT_ARCHITECTURES: Readonly<Record<string, TextArchitecture>> = {
  // meta-llama/Llama-3.1-8B-Instruct: hidden 4096, 32 layers, 8 KV heads × 128, MLP 14336.
  'llama-3.1-8b-instruct': { paramsBillion: 8.03, layers: 32, hidden: 4096, kvDim: 1024, intermediate: 14336 },
  // Qwen/Qwen2.5-7B-Instruct: hidden 3584, 28 layers, 4 KV heads × 128, MLP 18944.
  'qwen2.5-7b-instruct': { paramsBillion: 7.62, layers: 28, hidden: 3584, kvDim: 512, intermediate: 18944 },
  // mistralai/Mistral-7B-Instruct-v0.3: hidden 4096, 32 layers, 8 KV heads × 128, MLP 14336.
  'mistral-7b-instruct-v0.3': { paramsBillion: 7.25, layers: 32, hidden: 4096, kvDim: 1024, intermediate: 14336 },
};

/** [in, out] features of each adaptable projection. */
function moduleShape(a: TextArchitecture, module: string): [number, number] | null {
  switch (module) {
    case 'q_proj':
    case 'o_proj':
      return [a.hidden, a.hidden];
    case 'k_proj':
    case 'v_proj':
      return [a.hidden, a.kvDim];
    case 'gate_proj':
    case 'up_proj':
      return [a.hidden, a.intermediate];
    case 'down_proj':
      return [a.intermediate, a.hidden];
    default:
      return null;
  }
}

/**
 * LoRA parameters per unit of rank: a module of shape in→out gets A (r × in) and B (out × r),
 * i.e. r × (in + out), in every layer. Llama 3.1 8B, q,k,v,o: 32 × (8192 + 5120 + 5120 + 8192)
 * = 851,968 per rank, so rank 16 ≈ 13.6 M parameters ≈ 27 MB in bf16.
 */
export function loraParamsPerRank(a: TextArchitecture, modules: readonly string[]): number {
  let perLayer = 0;
  for (const m of new Set(modules)) {
    const shape = moduleShape(a, m);
    if (shape) perLayer += shape[0] + shape[1];
  }
  return a.layers * perLayer;
}

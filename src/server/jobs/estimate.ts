// Cost and duration of a text LoRA run, from planning figures (catalog/pricing.ts and the base's
// tokens/s). Pure: the estimate route and job creation call it with the same inputs and get the
// same numbers. Everything it assumes is returned as sentences, so the UI never shows a bare
// number without saying where it came from.
import { ADAPTER_BYTES_PER_PARAM, DATASET_BYTES_PER_TOKEN, DEFAULT_TEXT_SEQ_LEN, GPU_USD_PER_HOUR, loraParamsPerRank, MEMORY_MODEL, MULTI_GPU_EFFICIENCY, STARTUP_OVERHEAD_SECONDS, STORAGE_MONTHS, STORAGE_USD_PER_GB_MONTH, TEXT_ARCHITECTURES, type TextArchitecture } from '@/server/catalog/pricing';
import { gpuTypeOf, TEXT_MODULES, textParamWarnings, type FieldProblem, type GpuCount, type GpuTypeId, type TextPresetId } from '@/server/catalog/text-presets';
import { ValidationError } from '@/server/errors';
import type { TextEstimate } from './schemas.ts';

export interface EstimateBase {
  id: string;
  name: string;
  contextLength: number | null;
  throughput: Record<string, number>;
}

export type TokenCountMethod = TextEstimate['token_count_method'];

/** What the dataset's quality report says, when there is a dataset. */
export interface EstimateDatasetFacts {
  bytes: number | null;
  trainConversations: number;
  conversations: number;
  longestConversationTokens: number | null;
  tokenizer: string | null;
}

export interface EstimateTextJobInput {
  base: EstimateBase;
  tokensPerEpoch: number;
  tokenMethod: TokenCountMethod;
  /** Resolved params (preset + overrides), already range-checked. */
  params: Record<string, unknown>;
  gpuType: GpuTypeId;
  gpuCount: GpuCount;
  preset?: TextPresetId | null;
  dataset?: EstimateDatasetFacts | null;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const n = (x: number) => Math.round(x).toLocaleString('en-US');
const gb = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;
const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const field = (path: string, message: string) => new ValidationError(`Cannot estimate: "${path}" ${message}.`, [{ path, code: 'invalid_value', message }]);

interface Memory {
  required_gb: number;
  available_gb: number;
  fits: boolean;
  micro_batch: number;
  sequence_length: number;
}

function memoryCheck(a: TextArchitecture, p: { batch: number; accum: number; seq: number; adapterParams: number }, gpu: { label: string; vram_gb: number }): { memory: Memory; warning: FieldProblem | null; sentence: string } {
  const m = MEMORY_MODEL;
  const weights = (a.paramsBillion * 1e9 * m.weightBytesPerParam) / 1e9;
  const adapterState = (p.adapterParams * m.adapterStateBytesPerParam) / 1e9;
  const perSample = (p.seq * a.layers * a.hidden * m.activationBytesPerValue * m.activationFactor) / 1e9;
  const fixed = weights + adapterState + m.overheadGb;
  const required = fixed + p.batch * perSample;
  const memory = { required_gb: round4(required), available_gb: gpu.vram_gb, fits: required <= gpu.vram_gb, micro_batch: p.batch, sequence_length: p.seq };
  const sentence = `Memory: about ${gb(required)} GB per GPU of ${gpu.vram_gb} GB (bf16 weights ${gb(weights)} GB, adapter and optimizer state ${gb(adapterState)} GB, activations for ${p.batch} × ${n(p.seq)} tokens with gradient checkpointing ${gb(p.batch * perSample)} GB, ${m.overheadGb} GB CUDA overhead).`;
  if (memory.fits) return { memory, warning: null, sentence };
  const maxMicro = Math.floor((gpu.vram_gb - fixed) / perSample);
  const effective = p.batch * p.accum;
  const bigger = gpu.vram_gb < 80 ? ', or pick an 80 GB GPU' : '';
  const message =
    maxMicro >= 1
      ? `batch ${p.batch} × ${n(p.seq)} tokens needs about ${gb(required)} GB per GPU, more than the ${gpu.label}'s ${gpu.vram_gb} GB: set batch_size to ${maxMicro} and gradient_accumulation to ${Math.ceil(effective / maxMicro)} to keep the effective batch of ${effective}${bigger}`
      : `even one conversation of ${n(p.seq)} tokens needs more than the ${gpu.label}'s ${gpu.vram_gb} GB: lower max_seq_len${bigger}`;
  return { memory, warning: { path: 'batch_size', message }, sentence };
}

function tokenSentence(i: EstimateTextJobInput): string[] {
  const d = i.dataset;
  if (i.tokenMethod === 'caller-supplied' || !d) return [`Tokens per epoch: ${n(i.tokensPerEpoch)}, as supplied with the request; upload and validate the dataset for a measured figure.`];
  const out = [
    `Tokens per epoch: ${n(i.tokensPerEpoch)}, from the dataset quality report (${n(d.trainConversations)} of ${n(d.conversations)} usable conversations are in the train split; content plus chat-template tokens${d.tokenizer ? `, counted with ${d.tokenizer}` : ''}).`,
  ];
  out.push(
    i.tokenMethod === 'sample-extrapolated'
      ? 'Token counts are sample-extrapolated: an exact tokenizer ran on a sample and the rest was scaled, so expect a few per cent either way.'
      : 'Token counts are full: every conversation was tokenized.',
  );
  return out;
}

/** The estimate for one configuration. Throws 422 only when no estimate can be made. */
export function estimateTextJob(i: EstimateTextJobInput): TextEstimate {
  const p = i.params;
  const gpu = gpuTypeOf(i.gpuType);
  const perGpu = i.base.throughput[i.gpuType];
  if (!perGpu || perGpu <= 0) throw field('gpu_type', `has no throughput figure for ${i.base.name} on ${gpu.label}`);
  const efficiency = MULTI_GPU_EFFICIENCY[i.gpuCount];
  const tokensPerSecond = perGpu * i.gpuCount * efficiency;
  const usdPerHour = GPU_USD_PER_HOUR[i.gpuType];

  const batch = num(p.batch_size, 1);
  const accum = num(p.gradient_accumulation, 1);
  const globalBatch = batch * accum * i.gpuCount;
  const train = i.dataset?.trainConversations ?? null;
  let epochs: number;
  if (typeof p.epochs === 'number') epochs = p.epochs;
  else if (typeof p.steps === 'number' && train) epochs = Math.round(((p.steps * globalBatch) / train) * 100) / 100;
  else throw field('params.steps', 'is a step count, but without a dataset the number of conversations per step is unknown; set epochs instead');
  const optimizerSteps = typeof p.steps === 'number' ? p.steps : train ? Math.ceil(train / globalBatch) * epochs : null;

  const totalTokens = Math.round(i.tokensPerEpoch * epochs);
  const durationSeconds = Math.ceil(totalTokens / tokensPerSecond + STARTUP_OVERHEAD_SECONDS);
  const compute = (durationSeconds / 3600) * usdPerHour * i.gpuCount;

  const arch = TEXT_ARCHITECTURES[i.base.id];
  const rank = num(p.rank, 16);
  const modules = Array.isArray(p.target_modules) && p.target_modules.length > 0 ? (p.target_modules as string[]) : [...TEXT_MODULES];
  const adapterParams = arch ? rank * loraParamsPerRank(arch, modules) : null;
  const adapterBytes = adapterParams === null ? null : adapterParams * ADAPTER_BYTES_PER_PARAM;
  const datasetBytes = Math.round(i.dataset?.bytes ?? i.tokensPerEpoch * DATASET_BYTES_PER_TOKEN);
  const storage = ((datasetBytes + (adapterBytes ?? 0)) / 1e9) * STORAGE_USD_PER_GB_MONTH * STORAGE_MONTHS;

  const warnings: FieldProblem[] = [...textParamWarnings(p)];
  const assumptions: string[] = [
    `Throughput: ${n(perGpu)} tokens/s per ${gpu.label} for ${i.base.name} (the catalog's planning figure for LoRA with gradient checkpointing); real runs vary with sequence length and padding.`,
    i.gpuCount === 1
      ? 'One GPU: no multi-GPU scaling loss.'
      : `${i.gpuCount} GPUs data-parallel at ${Math.round(efficiency * 100)} % scaling efficiency each: ${n(tokensPerSecond)} tokens/s together.`,
    ...tokenSentence(i),
    `Duration: ${n(totalTokens)} tokens (${epochs} epoch${epochs === 1 ? '' : 's'}) ÷ ${n(tokensPerSecond)} tokens/s, plus ${STARTUP_OVERHEAD_SECONDS / 60} min of start-up (container, base model download and load), which is billed too. Evaluation on the validation split is not included.`,
    `Price: $${usdPerHour.toFixed(2)} per GPU-hour × ${i.gpuCount} GPU${i.gpuCount === 1 ? '' : 's'}, the rate actual runs are billed at.`,
    adapterBytes === null
      ? `Storage: the dataset (${mb(datasetBytes)}) for ${STORAGE_MONTHS} month at $${STORAGE_USD_PER_GB_MONTH}/GB-month; no architecture figures for ${i.base.name}, so the adapter size is not counted.`
      : `Storage: the dataset (${mb(datasetBytes)}${i.dataset?.bytes ? '' : `, ~${DATASET_BYTES_PER_TOKEN} bytes per token`}) and the adapter (${mb(adapterBytes)}: rank ${rank} on ${modules.join(', ')}, bf16) kept ${STORAGE_MONTHS} month at $${STORAGE_USD_PER_GB_MONTH}/GB-month; intermediate checkpoints are not counted.`,
  ];

  let memory: Memory | null = null;
  if (arch && adapterParams !== null) {
    const longest = i.dataset?.longestConversationTokens ?? null;
    const seqLimit = num(p.max_seq_len, DEFAULT_TEXT_SEQ_LEN);
    const seq = longest ? Math.min(seqLimit, longest) : seqLimit;
    const check = memoryCheck(arch, { batch, accum, seq, adapterParams }, gpu);
    memory = check.memory;
    assumptions.push(check.sentence);
    if (check.warning) warnings.push(check.warning);
  } else {
    assumptions.push(`Memory: no architecture figures for ${i.base.name}, so GPU memory was not checked.`);
  }
  if (optimizerSteps !== null && typeof p.warmup_steps === 'number' && p.warmup_steps > 0 && p.warmup_steps >= optimizerSteps * 0.25) {
    warnings.push({
      path: 'warmup_steps',
      message: `${n(p.warmup_steps)} warm-up steps are ${Math.round((p.warmup_steps / optimizerSteps) * 100)} % of the run's ${n(optimizerSteps)} optimizer steps: lower it to about ${Math.max(1, Math.round(optimizerSteps * 0.05))}`,
    });
  }
  if (i.tokensPerEpoch === 0) warnings.push({ path: 'dataset_id', message: 'the train split has no tokens: there is nothing to train on' });

  // The total is the sum of the parts as shown, so compute + storage always adds up on screen.
  const computeUsd = round4(compute);
  const storageUsd = round4(storage);
  return {
    base_model: i.base.id,
    preset: i.preset ?? null,
    params: p,
    tokens_per_epoch: Math.round(i.tokensPerEpoch),
    epochs,
    total_tokens: totalTokens,
    optimizer_steps: optimizerSteps,
    tokens_per_second: Math.round(tokensPerSecond),
    duration_seconds: durationSeconds,
    compute_usd: computeUsd,
    storage_usd: storageUsd,
    total_usd: round4(computeUsd + storageUsd),
    gpu: { type: i.gpuType, label: gpu.label, count: i.gpuCount, usd_per_hour: usdPerHour, vram_gb: gpu.vram_gb },
    memory,
    adapter_bytes: adapterBytes,
    dataset_bytes: datasetBytes,
    token_count_method: i.tokenMethod,
    assumptions,
    warnings,
  };
}

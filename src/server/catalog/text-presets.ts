// Text (LLM) LoRA presets, the advanced fields' ranges and the GPU choices. Pure data and pure
// functions with no imports: the configurator UI uses this file as is, and the server checks
// the same rules again (jobs/params.ts), so the form and the API cannot disagree.
//
// Presets (DESIGN §3): Conservative / Balanced / Aggressive = rank 8/16/32, alpha 16/32/64,
// lr 1e-4/2e-4/3e-4, epochs 3/5/10, batch 4/8/16, dropout 0.05/0.1/0.1. The rest are common
// LoRA SFT settings: a short fixed warm-up, light weight decay, clipping at 1.0, cosine decay.

export interface FieldProblem {
  /** Bare field name (`learning_rate`); the API prefixes `params.`. */
  path: string;
  message: string;
}

export const TEXT_PRESET_IDS = ['conservative', 'balanced', 'aggressive'] as const;
export type TextPresetId = (typeof TEXT_PRESET_IDS)[number];

/** The projections Llama, Qwen and Mistral share (the names the axolotl backend passes to PEFT). */
export const TEXT_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] as const;
/** Hugging Face Trainer optimizer names (axolotl passes them through). */
export const OPTIMIZERS = ['adamw_torch', 'adamw_torch_fused', 'adamw_8bit', 'paged_adamw_8bit', 'adafactor', 'lion_32bit', 'sgd'] as const;
/** Hugging Face `SchedulerType` names. */
export const SCHEDULERS = ['cosine', 'linear', 'constant', 'constant_with_warmup', 'cosine_with_restarts', 'polynomial'] as const;

// A type (not an interface) so it is assignable to Record<string, unknown> params.
export type TextPresetParams = {
  epochs: number;
  learning_rate: number;
  batch_size: number;
  rank: number;
  alpha: number;
  dropout: number;
  warmup_steps: number;
  weight_decay: number;
  gradient_accumulation: number;
  max_grad_norm: number;
  optimizer: (typeof OPTIMIZERS)[number];
  scheduler: (typeof SCHEDULERS)[number];
  target_modules: string[];
};

export interface TextPreset {
  id: TextPresetId;
  label: string;
  summary: string;
  params: TextPresetParams;
}

const ATTENTION = ['q_proj', 'k_proj', 'v_proj', 'o_proj'];
const COMMON = { gradient_accumulation: 1, max_grad_norm: 1.0, optimizer: 'adamw_torch', scheduler: 'cosine' } as const;

export const TEXT_PRESETS: Readonly<Record<TextPresetId, TextPreset>> = {
  conservative: {
    id: 'conservative',
    label: 'Conservative',
    summary: 'Small, gentle adapter: keeps the base model’s behaviour, least risk of overfitting.',
    params: { epochs: 3, learning_rate: 1e-4, batch_size: 4, rank: 8, alpha: 16, dropout: 0.05, warmup_steps: 10, weight_decay: 0, target_modules: [...ATTENTION], ...COMMON },
  },
  balanced: {
    id: 'balanced',
    label: 'Balanced',
    summary: 'The usual starting point for a style or task adapter.',
    params: { epochs: 5, learning_rate: 2e-4, batch_size: 8, rank: 16, alpha: 32, dropout: 0.1, warmup_steps: 20, weight_decay: 0.01, target_modules: [...ATTENTION], ...COMMON },
  },
  aggressive: {
    id: 'aggressive',
    label: 'Aggressive',
    summary: 'More capacity (attention and MLP layers) and more passes: the strongest effect; watch for overfitting.',
    params: {
      epochs: 10,
      learning_rate: 3e-4,
      batch_size: 16,
      rank: 32,
      alpha: 64,
      dropout: 0.1,
      warmup_steps: 30,
      weight_decay: 0.01,
      target_modules: [...ATTENTION, 'gate_proj', 'up_proj', 'down_proj'],
      ...COMMON,
    },
  },
};
export const DEFAULT_TEXT_PRESET: TextPresetId = 'balanced';

/** A copy of a preset's params (arrays too), safe to merge and mutate. */
export function presetParams(id: TextPresetId): TextPresetParams {
  const p = TEXT_PRESETS[id].params;
  return { ...p, target_modules: [...p.target_modules] };
}

// ── Advanced fields ─────────────────────────────────────────────────────────────────────
// Hard min/max are refused (422); the typical range only produces a warning. Hard limits sit
// inside the protocol's TrainingParams bounds: what any worker accepts is wider than what makes
// sense for a 7–8B LoRA.

export interface NumberRange {
  kind: 'number';
  label: string;
  hint: string;
  integer: boolean;
  min: number;
  /** Lower bound is exclusive (a zero learning rate, alpha or clip norm is always a mistake). */
  minExclusive?: boolean;
  max: number;
  typical: { min: number; max: number } | null;
  /** What tends to happen above / below the typical range. */
  above?: string;
  below?: string;
}
export interface ChoiceRange {
  kind: 'enum' | 'list';
  label: string;
  hint: string;
  options: readonly string[];
}
export type AdvancedRange = NumberRange | ChoiceRange;

export const NUMBER_FIELDS = ['learning_rate', 'epochs', 'batch_size', 'gradient_accumulation', 'rank', 'alpha', 'dropout', 'warmup_steps', 'weight_decay', 'max_grad_norm', 'max_seq_len'] as const;
export type NumberField = (typeof NUMBER_FIELDS)[number];
export type ChoiceField = 'target_modules' | 'scheduler' | 'optimizer';
export type AdvancedField = NumberField | ChoiceField;
/** Display order of the advanced fields. */
export const TEXT_ADVANCED_FIELDS: readonly AdvancedField[] = [
  'learning_rate', 'epochs', 'batch_size', 'gradient_accumulation', 'rank', 'alpha', 'dropout', 'target_modules', 'warmup_steps', 'scheduler', 'optimizer', 'weight_decay', 'max_grad_norm', 'max_seq_len',
];

export const ADVANCED_RANGES: { readonly [K in AdvancedField]: K extends NumberField ? NumberRange : ChoiceRange } = {
  learning_rate: {
    kind: 'number', label: 'Learning rate', hint: 'Peak learning rate.', integer: false, min: 0, minExclusive: true, max: 0.01,
    typical: { min: 1e-5, max: 5e-4 }, above: 'may diverge (loss spikes or NaN)', below: 'the adapter may barely move away from the base model',
  },
  epochs: { kind: 'number', label: 'Epochs', hint: 'Passes over the training split.', integer: true, min: 1, max: 100, typical: { min: 1, max: 10 }, above: 'likely to overfit: the model starts repeating training conversations' },
  batch_size: { kind: 'number', label: 'Batch size', hint: 'Conversations per GPU per micro-step.', integer: true, min: 1, max: 256, typical: { min: 1, max: 32 }, above: 'needs a lot of GPU memory; prefer gradient accumulation' },
  gradient_accumulation: { kind: 'number', label: 'Gradient accumulation', hint: 'Micro-batches summed per optimizer step.', integer: true, min: 1, max: 256, typical: { min: 1, max: 16 }, above: 'few optimizer updates per epoch' },
  rank: { kind: 'number', label: 'Rank', hint: 'LoRA rank r: capacity and adapter size.', integer: true, min: 1, max: 256, typical: { min: 4, max: 64 }, above: 'rarely better, and the adapter gets larger and slower to train', below: 'very little capacity' },
  alpha: { kind: 'number', label: 'Alpha', hint: 'Scale = alpha / rank; usually 1–2 × rank.', integer: false, min: 0, minExclusive: true, max: 1024, typical: null },
  dropout: { kind: 'number', label: 'LoRA dropout', hint: 'Regularisation on the adapter input.', integer: false, min: 0, max: 0.5, typical: { min: 0, max: 0.3 }, above: 'slows learning a lot' },
  target_modules: { kind: 'list', label: 'Target modules', hint: 'Layers the adapter attaches to.', options: TEXT_MODULES },
  warmup_steps: { kind: 'number', label: 'Warm-up steps', hint: 'Steps to ramp the learning rate up.', integer: true, min: 0, max: 10_000, typical: { min: 0, max: 200 }, above: 'a short run may spend most of its time below the target learning rate' },
  scheduler: { kind: 'enum', label: 'Scheduler', hint: 'How the learning rate changes after warm-up.', options: SCHEDULERS },
  optimizer: { kind: 'enum', label: 'Optimizer', hint: 'Hugging Face Trainer optimizer name.', options: OPTIMIZERS },
  weight_decay: { kind: 'number', label: 'Weight decay', hint: 'AdamW decoupled weight decay.', integer: false, min: 0, max: 0.5, typical: { min: 0, max: 0.1 }, above: 'pulls the adapter strongly toward zero' },
  max_grad_norm: {
    kind: 'number', label: 'Max grad norm', hint: 'Gradient clipping threshold.', integer: false, min: 0, minExclusive: true, max: 100,
    typical: { min: 0.1, max: 10 }, above: 'clipping this loose almost never clips', below: 'clipping this tight slows learning',
  },
  max_seq_len: {
    kind: 'number', label: 'Max sequence length', hint: 'Tokens per conversation; longer ones are truncated. Empty: 2048.', integer: true, min: 128, max: 131_072,
    typical: { min: 256, max: 8192 }, above: 'long sequences need a lot of GPU memory', below: 'most conversations will be truncated',
  },
};

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : Math.abs(n) < 1e-3 ? Number(n.toPrecision(3)).toExponential() : String(Number(n.toPrecision(4))));
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** "between 1 and 256", "above 0 and at most 0.01". */
export function rangeText(r: { min: number; max: number; minExclusive?: boolean }): string {
  return r.minExclusive ? `above ${fmt(r.min)} and at most ${fmt(r.max)}` : `between ${fmt(r.min)} and ${fmt(r.max)}`;
}

/** Why one present value is refused, or null. */
export function advancedFieldError(field: AdvancedField, value: unknown): string | null {
  const r: AdvancedRange = ADVANCED_RANGES[field];
  if (r.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
    if (r.integer && !Number.isInteger(value)) return 'must be a whole number';
    if ((r.minExclusive ? value <= r.min : value < r.min) || value > r.max) return `must be ${rangeText(r)}`;
    return null;
  }
  if (r.kind === 'enum') return typeof value === 'string' && r.options.includes(value) ? null : `must be one of ${r.options.join(', ')}`;
  if (!Array.isArray(value) || value.some((m) => typeof m !== 'string')) return 'must be a list of module names';
  if (value.length === 0) return 'choose at least one module';
  const unknown = value.find((m: string) => !r.options.includes(m));
  if (unknown !== undefined) return `unknown module "${unknown}"; choose from ${r.options.join(', ')}`;
  const twice = value.find((m: string, i: number) => value.indexOf(m) !== i);
  if (twice !== undefined) return `lists "${twice}" twice`;
  return null;
}

/**
 * Values refused for a text LoRA. Only present fields are checked (absent = the backend's
 * default); `contextLength` caps max_seq_len at the base's context.
 */
export function textParamErrors(params: Record<string, unknown>, opts: { contextLength?: number | null } = {}): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const field of TEXT_ADVANCED_FIELDS) {
    if (params[field] === undefined) continue;
    const message = advancedFieldError(field, params[field]);
    if (message) out.push({ path: field, message });
  }
  const seq = num(params.max_seq_len);
  if (seq !== undefined && opts.contextLength && seq > opts.contextLength && !out.some((p) => p.path === 'max_seq_len')) {
    out.push({ path: 'max_seq_len', message: `must be at most the base model's context of ${fmt(opts.contextLength)} tokens` });
  }
  return out;
}

/** Allowed but unusual values, each with what is likely to happen. */
export function textParamWarnings(params: Record<string, unknown>): FieldProblem[] {
  const out: FieldProblem[] = [];
  const warn = (path: string, message: string) => out.push({ path, message });
  for (const field of TEXT_ADVANCED_FIELDS) {
    const r: AdvancedRange = ADVANCED_RANGES[field];
    const v = num(params[field]);
    if (v === undefined || r.kind !== 'number' || !r.typical) continue;
    if (v > r.typical.max) warn(field, `${fmt(v)} is above the typical ${fmt(r.typical.min)}–${fmt(r.typical.max)}: ${r.above ?? 'unusual for a LoRA'}`);
    else if (v < r.typical.min) warn(field, `${fmt(v)} is below the typical ${fmt(r.typical.min)}–${fmt(r.typical.max)}: ${r.below ?? 'unusual for a LoRA'}`);
  }
  const rank = num(params.rank);
  const alpha = num(params.alpha);
  if (rank && alpha) {
    const ratio = alpha / rank;
    if (ratio > 4) warn('alpha', `alpha/rank = ${fmt(ratio)}, above 4: updates are scaled up strongly and training may be unstable`);
    else if (ratio < 0.5) warn('alpha', `alpha/rank = ${fmt(ratio)}, below 0.5: the adapter's effect is scaled down and it may learn very little`);
  }
  const effective = (num(params.batch_size) ?? 1) * (num(params.gradient_accumulation) ?? 1);
  if (effective > 128) warn('gradient_accumulation', `effective batch ${fmt(effective)} (batch × accumulation) is above 128: few optimizer updates per epoch, the adapter may undertrain`);
  const modules = Array.isArray(params.target_modules) ? (params.target_modules as unknown[]) : null;
  if (modules && modules.length > 0 && !modules.includes('q_proj') && !modules.includes('v_proj')) {
    warn('target_modules', 'neither q_proj nor v_proj: most LoRA recipes adapt at least those two attention projections');
  }
  if (params.scheduler === 'constant' && (num(params.warmup_steps) ?? 0) > 0) warn('scheduler', 'the constant scheduler ignores warm-up; choose constant_with_warmup to keep it');
  if (params.optimizer === 'sgd') warn('optimizer', 'plain SGD rarely trains a LoRA well at these learning rates; AdamW is the usual choice');
  return out;
}

// ── GPUs ────────────────────────────────────────────────────────────────────────────────

export const GPU_TYPES = [
  { id: 'a100_40gb', label: 'A100 40 GB', vram_gb: 40 },
  { id: 'a100_80gb', label: 'A100 80 GB', vram_gb: 80 },
  { id: 'h100_80gb', label: 'H100 80 GB', vram_gb: 80 },
] as const;
export type GpuTypeId = (typeof GPU_TYPES)[number]['id'];
export const GPU_TYPE_IDS = ['a100_40gb', 'a100_80gb', 'h100_80gb'] as const satisfies readonly GpuTypeId[];
export const GPU_COUNTS = [1, 2, 4, 8] as const;
export type GpuCount = (typeof GPU_COUNTS)[number];
export const DEFAULT_GPU: { type: GpuTypeId; count: GpuCount } = { type: 'a100_80gb', count: 1 };

export function gpuTypeOf(id: GpuTypeId): (typeof GPU_TYPES)[number] {
  return GPU_TYPES.find((g) => g.id === id)!;
}

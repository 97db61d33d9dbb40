// The text-LoRA configurator's form state as plain data: the fields hold what the person typed
// (strings), and these helpers turn them into params, per-field errors and warnings (the same
// rules the server applies, from catalog/text-presets.ts) and the request bodies.
import {
  ADVANCED_RANGES,
  NUMBER_FIELDS,
  presetParams,
  TEXT_ADVANCED_FIELDS,
  textParamErrors,
  textParamWarnings,
  type AdvancedField,
  type GpuCount,
  type GpuTypeId,
  type NumberField,
  type TextPresetId,
} from '@/server/catalog/text-presets';

/** Empty means "the backend's default" instead of an error. */
export const OPTIONAL_FIELDS: readonly AdvancedField[] = ['max_seq_len'];

export type TextFormValues = Record<NumberField, string> & { optimizer: string; scheduler: string; target_modules: string[] };
export type FieldMessages = Partial<Record<AdvancedField, string[]>>;

export interface TextBaseOption {
  id: string;
  name: string;
  contextLength: number | null;
  /** Planning figure: tokens/s per GPU, keyed by GPU type. */
  throughput: Record<string, number>;
}

export function valuesFromPreset(id: TextPresetId): TextFormValues {
  const p = presetParams(id) as Record<string, unknown>;
  const out = {} as TextFormValues;
  for (const f of NUMBER_FIELDS) out[f] = typeof p[f] === 'number' ? String(p[f]) : '';
  out.optimizer = String(p.optimizer);
  out.scheduler = String(p.scheduler);
  out.target_modules = [...(p.target_modules as string[])];
  return out;
}

/** Params from the fields, plus the fields that are not numbers at all. */
export function paramsFromValues(v: TextFormValues): { params: Record<string, unknown>; parseErrors: FieldMessages } {
  const params: Record<string, unknown> = { optimizer: v.optimizer, scheduler: v.scheduler, target_modules: v.target_modules };
  const parseErrors: FieldMessages = {};
  for (const f of NUMBER_FIELDS) {
    const raw = v[f].trim();
    if (raw === '') {
      if (!OPTIONAL_FIELDS.includes(f)) parseErrors[f] = [`Enter ${ADVANCED_RANGES[f].label.toLowerCase()}.`];
      continue;
    }
    const n = Number(raw);
    if (!Number.isFinite(n)) parseErrors[f] = ['Enter a number.'];
    else params[f] = n;
  }
  return { params, parseErrors };
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
function group(problems: { path: string; message: string }[]): FieldMessages {
  const out: FieldMessages = {};
  for (const p of problems) (out[p.path as AdvancedField] ??= []).push(capital(p.message));
  return out;
}

export interface FormCheck {
  params: Record<string, unknown>;
  errors: FieldMessages;
  warnings: FieldMessages;
  hasErrors: boolean;
}

export function checkValues(v: TextFormValues, base: TextBaseOption | null): FormCheck {
  const { params, parseErrors } = paramsFromValues(v);
  const errors: FieldMessages = { ...group(textParamErrors(params, { contextLength: base?.contextLength })), ...parseErrors };
  const hasErrors = Object.keys(errors).length > 0;
  return { params, errors, warnings: hasErrors ? {} : group(textParamWarnings(params)), hasErrors };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Only what differs from the preset: the server layers these overrides on the same preset. */
export function overridesFrom(params: Record<string, unknown>, preset: TextPresetId): Record<string, unknown> {
  const base = presetParams(preset) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (!same(base[k], v)) out[k] = v;
  return out;
}

export const isModified = (v: TextFormValues, preset: TextPresetId) => !same(v, valuesFromPreset(preset));

export interface EstimateBody {
  base_model: string;
  dataset_id?: string;
  tokens?: number;
  preset: TextPresetId;
  params: Record<string, unknown>;
  gpu_type: GpuTypeId;
  gpu_count: GpuCount;
}

/** The estimate request, or why there is none yet. */
export function estimateBody(p: {
  base: TextBaseOption | null;
  datasetId: string | null;
  tokens: string;
  preset: TextPresetId;
  check: FormCheck;
  gpuType: GpuTypeId;
  gpuCount: GpuCount;
}): { body: EstimateBody; reason: null } | { body: null; reason: string } {
  if (!p.base) return { body: null, reason: 'Choose a base model.' };
  if (p.check.hasErrors) return { body: null, reason: 'Fix the highlighted settings to see an estimate.' };
  const common = { base_model: p.base.id, preset: p.preset, params: overridesFrom(p.check.params, p.preset), gpu_type: p.gpuType, gpu_count: p.gpuCount };
  if (p.datasetId) return { body: { ...common, dataset_id: p.datasetId }, reason: null };
  const tokens = Number(p.tokens.trim());
  if (p.tokens.trim() === '' || !Number.isInteger(tokens) || tokens < 1) {
    return { body: null, reason: 'Validate a dataset for an estimate from its token counts, or enter a number of tokens per epoch.' };
  }
  return { body: { ...common, tokens }, reason: null };
}

/** Server 422 details (`params.rank`) → per-field messages; the rest stays general. */
export function serverFieldErrors(details: unknown): { fields: FieldMessages; other: string[] } {
  const fields: FieldMessages = {};
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields, other };
  for (const d of details as { path?: unknown; message?: unknown }[]) {
    if (typeof d?.message !== 'string') continue;
    const key = typeof d.path === 'string' ? /^params\.([a-z_]+)/.exec(d.path)?.[1] : undefined;
    if (key && (TEXT_ADVANCED_FIELDS as string[]).includes(key)) (fields[key as AdvancedField] ??= []).push(capital(d.message));
    else other.push(typeof d.path === 'string' ? `${d.path}: ${d.message}` : d.message);
  }
  return { fields, other };
}

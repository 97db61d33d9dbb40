// The training form's fields and their client-side checks. The ranges are the server's:
// the protocol's TrainingParams bounds narrowed by the image rules of
// src/server/jobs/params.ts (resolution a multiple of 64 up to 2048 and at least the base's
// minimum, rank ≤ 256, batch ≤ 64). params.test.ts runs every boundary through the server's
// resolveParams, so the two cannot drift apart silently. The server checks again anyway.

export type ParamKey = 'steps' | 'learning_rate' | 'resolution' | 'rank' | 'alpha' | 'batch_size' | 'seed' | 'save_every' | 'sample_every';

export interface ParamSpec {
  key: ParamKey;
  label: string;
  hint: string;
  integer: boolean;
  min: number;
  /** Exclusive lower bound (learning rate and alpha must be above 0, not equal to it). */
  minExclusive?: boolean;
  max: number;
  /** Empty means "let the backend decide" instead of an error. */
  optional?: boolean;
  step?: number;
}

export interface BaseForParams {
  name: string;
  min_resolution: number | null;
  default_params: Record<string, unknown>;
}

export const PARAM_SPECS: readonly ParamSpec[] = [
  { key: 'steps', label: 'Steps', hint: 'Optimizer steps in total.', integer: true, min: 1, max: 100_000, step: 50 },
  { key: 'learning_rate', label: 'Learning rate', hint: 'Peak learning rate, e.g. 0.0001.', integer: false, min: 0, minExclusive: true, max: 1 },
  { key: 'resolution', label: 'Resolution (px)', hint: 'A multiple of 64, up to 2048.', integer: true, min: 64, max: 2048, step: 64 },
  { key: 'rank', label: 'Rank', hint: 'LoRA rank r: capacity and file size.', integer: true, min: 1, max: 256 },
  { key: 'alpha', label: 'Alpha', hint: 'Scale = alpha / rank.', integer: false, min: 0, minExclusive: true, max: 2048 },
  { key: 'batch_size', label: 'Batch size', hint: 'Images per step.', integer: true, min: 1, max: 64 },
  { key: 'seed', label: 'Seed', hint: 'Empty: the backend picks one.', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
  { key: 'save_every', label: 'Checkpoint every', hint: 'Steps between checkpoints; empty or 0: only the final file.', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
  { key: 'sample_every', label: 'Sample every', hint: 'Steps between sample images; empty or 0: none.', integer: true, min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
];

export type ParamValues = Record<ParamKey, string>;
export type ParamErrors = Partial<Record<ParamKey, string>>;

const fmt = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en') : String(n));

function rangeText(spec: ParamSpec, min: number, max: number): string {
  if (max === Number.MAX_SAFE_INTEGER) return `${fmt(min)} or more.`;
  return spec.minExclusive ? `Above ${fmt(min)} and at most ${fmt(max)}.` : `Between ${fmt(min)} and ${fmt(max)}.`;
}

/** Effective bounds for one base (the resolution floor depends on it). */
export function boundsFor(spec: ParamSpec, base: BaseForParams): { min: number; max: number } {
  if (spec.key === 'resolution' && base.min_resolution) return { min: Math.max(spec.min, base.min_resolution), max: spec.max };
  return { min: spec.min, max: spec.max };
}

/** The value a field sends, or undefined for an empty optional field. Throws nothing; see fieldError. */
export function parseParam(raw: string): number | undefined {
  const t = raw.trim();
  if (t === '') return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** Why a raw field value would be refused, or null when the server will take it. */
export function fieldError(spec: ParamSpec, raw: string, base: BaseForParams): string | null {
  const n = parseParam(raw);
  if (n === undefined) return spec.optional ? null : `Enter ${spec.label.toLowerCase().replace(/ \(px\)$/, '')}.`;
  if (Number.isNaN(n)) return 'Enter a number.';
  if (spec.integer && !Number.isInteger(n)) return 'Enter a whole number.';
  const { min, max } = boundsFor(spec, base);
  if (spec.minExclusive ? n <= min : n < min) {
    if (spec.key === 'resolution' && base.min_resolution && n < base.min_resolution) return `${base.name} trains at ${base.min_resolution} px or more.`;
    return rangeText(spec, min, max);
  }
  if (n > max) return rangeText(spec, min, max);
  if (spec.key === 'resolution' && n % 64 !== 0) return 'Must be a multiple of 64.';
  return null;
}

export function validateAll(values: ParamValues, base: BaseForParams): ParamErrors {
  const errors: ParamErrors = {};
  for (const spec of PARAM_SPECS) {
    const e = fieldError(spec, values[spec.key], base);
    if (e) errors[spec.key] = e;
  }
  return errors;
}

/** The form's starting values: the base's preset, empty where it has none. */
export function presetValues(base: BaseForParams): ParamValues {
  const out = {} as ParamValues;
  for (const spec of PARAM_SPECS) {
    const v = base.default_params[spec.key];
    out[spec.key] = typeof v === 'number' ? String(v) : '';
  }
  return out;
}

/** Only what differs from the preset is sent: the server layers overrides on its preset. */
export function overridesFrom(values: ParamValues, base: BaseForParams): Record<string, number> {
  const out: Record<string, number> = {};
  for (const spec of PARAM_SPECS) {
    const n = parseParam(values[spec.key]);
    if (n === undefined || Number.isNaN(n)) continue;
    if (base.default_params[spec.key] !== n) out[spec.key] = n;
  }
  return out;
}

/** Server 422 details (`params.steps`…) → per-field messages; the rest stays general. */
export function serverFieldErrors(details: unknown): { fields: ParamErrors; other: string[] } {
  const fields: ParamErrors = {};
  const other: string[] = [];
  if (!Array.isArray(details)) return { fields, other };
  for (const d of details as { path?: unknown; message?: unknown }[]) {
    if (typeof d?.message !== 'string') continue;
    const key = typeof d.path === 'string' ? /^params\.([a-z_]+)/.exec(d.path)?.[1] : undefined;
    if (key && PARAM_SPECS.some((s) => s.key === key)) fields[key as ParamKey] ??= d.message;
    else other.push(typeof d.path === 'string' ? `${d.path}: ${d.message}` : d.message);
  }
  return { fields, other };
}

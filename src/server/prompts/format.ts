import type { LoraWeightRange } from './profile.ts';

// Fixed, locale-free formatting so the same inputs give byte-identical output everywhere.

/** Rounds to 2 decimals; never returns -0. */
export function roundWeight(value: number): number {
  const rounded = Math.round(value * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

/** `0.8`, `1`, `1.25`: shortest form of the 2-decimal rounding (plain digits below 1e21). */
export function formatWeight(value: number): string {
  const rounded = roundWeight(value);
  return rounded.toFixed(2).replace(/\.?0+$/, '');
}

export interface ResolvedWeight {
  value: number;
  text: string;
  warning: string | null;
}

/** A finite weight inside the platform range: non-finite → the default, outside → clamped. */
export function resolveWeight(requested: number, range: LoraWeightRange): ResolvedWeight {
  let value = requested;
  let warning: string | null = null;
  if (!Number.isFinite(value)) {
    value = range.default;
    warning = `LoRA weight was not a finite number; used the platform default ${formatWeight(range.default)}.`;
  } else if (value < range.min || value > range.max) {
    value = Math.min(range.max, Math.max(range.min, value));
    warning = `LoRA weight ${formatWeight(requested)} is outside ${formatWeight(range.min)}–${formatWeight(range.max)}; clamped to ${formatWeight(value)}.`;
  }
  const rounded = roundWeight(value);
  return { value: rounded, text: formatWeight(rounded), warning };
}

/** Deep copy with object keys sorted (code-unit order), so key order of inputs never shows. */
export function canonicalize<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => canonicalize(v)) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out as T;
  }
  return value;
}

/** Canonical JSON: sorted keys, 2-space indent, trailing newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(canonicalize(value), null, 2)}\n`;
}

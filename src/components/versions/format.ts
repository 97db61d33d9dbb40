// Display helpers for the Versions table (pure; unit-tested).
import type { VersionView } from '@/server/versions/schemas';

export function formatBytes(bytes: number | null): string {
  if (bytes === null) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** First 12 hex characters: enough to tell versions apart and match a `sha256sum` by eye. */
export const shortHash = (hash: string | null) => (hash ? hash.slice(0, 12) : '—');

const PARAM_ORDER = ['steps', 'epochs', 'rank', 'alpha', 'learning_rate', 'resolution', 'batch_size'] as const;
const PARAM_LABEL: Record<(typeof PARAM_ORDER)[number], string> = {
  steps: 'steps',
  epochs: 'epochs',
  rank: 'rank',
  alpha: 'alpha',
  learning_rate: 'lr',
  resolution: 'res',
  batch_size: 'batch',
};

/** The parameters people compare between versions, in a fixed order; the rest stays in the tooltip. */
export function paramSummary(params: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of PARAM_ORDER) {
    const v = params[key];
    if (typeof v === 'number' || typeof v === 'string') parts.push(`${PARAM_LABEL[key]} ${v}`);
  }
  return parts.join(' · ') || '—';
}

export function metricSummary(metrics: Record<string, unknown> | null): string {
  const loss = metrics?.final_loss;
  if (typeof loss === 'number') return `loss ${loss.toFixed(loss < 0.01 ? 4 : 3)}`;
  return '—';
}

/** The weight the slider starts at: the stored one for the active version, else the range default. */
export function initialWeight(range: { min: number; max: number; default: number }, current: number | null): number {
  const w = current ?? range.default;
  return Math.min(range.max, Math.max(range.min, w));
}

/** A loss for the quality panel: 3 decimals, 4 significant digits when tiny, '—' when absent. */
export function formatLoss(x: number | null | undefined): string {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '—';
  return Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(3) : x.toPrecision(4);
}

export type ConvergenceLabel = NonNullable<VersionView['quality']>['convergence']['label'];

/** Badge colour per verdict: good, worth a look, bad, no verdict. */
export const CONVERGENCE_VARIANT: Record<ConvergenceLabel, 'success' | 'warning' | 'destructive' | 'secondary'> = {
  converged: 'success',
  'still improving': 'warning',
  'plateaued early': 'warning',
  overfitting: 'destructive',
  diverged: 'destructive',
  unknown: 'secondary',
};

/** Params as sorted key/value pairs for a compact list; arrays joined, objects as JSON. */
export function paramEntries(params: Record<string, unknown>): [string, string][] {
  return Object.keys(params)
    .sort()
    .flatMap((k) => {
      const v = params[k];
      if (v === null || v === undefined) return [];
      if (Array.isArray(v)) return [[k, v.map(String).join(', ')] as [string, string]];
      return [[k, typeof v === 'object' ? JSON.stringify(v) : String(v)] as [string, string]];
    });
}

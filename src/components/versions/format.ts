// Display helpers for the Versions table (pure; unit-tested).

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

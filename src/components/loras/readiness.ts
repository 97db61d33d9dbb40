import type { DatasetView } from '@/components/datasets/types';

export type Readiness = { ok: true; note: string } | { ok: false; reason: string };

/**
 * Whether "Start training" may be pressed, and if not, why (shown next to the button).
 * Mirrors the server rule: a ready dataset whose verdict is not `block`. The server checks
 * again when the job is created.
 */
export function trainingReadiness(dataset: DatasetView | null, busy: boolean): Readiness {
  const count = dataset?.items?.length ?? dataset?.image_count ?? 0;
  if (!dataset || count === 0) return { ok: false, reason: 'Upload photos first, then validate them.' };
  if (busy) return { ok: false, reason: 'Wait for the upload or validation to finish.' };
  if (!dataset.verdict) return { ok: false, reason: 'Validate the dataset first: training needs a checked dataset.' };
  if (dataset.verdict === 'block') return { ok: false, reason: 'Validation blocked this dataset. Fix the problems in the report and validate again.' };
  if (dataset.status !== 'ready') return { ok: false, reason: `The dataset is not ready (${dataset.status}). Validate it again.` };
  return { ok: true, note: dataset.verdict === 'warn' ? 'Validated with warnings: training is allowed.' : 'Validated: every check passed.' };
}

// Quality figures of a text LoRA run, from the worker's summary and the loss curves it
// reported (metrics events of the job's final attempt). Pure: same inputs, same verdict.
//
// Convergence rules, first match wins (n = train-loss points, in step order):
//   unknown          fewer than MIN_POINTS train-loss points.
//   diverged         a non-finite loss, or the mean of the last 10 % of points is above the mean
//                    of the first 10 %: training made the model worse.
//   overfitting      validation loss (≥ 3 points) ended > 10 % above its minimum, the minimum was
//                    not the last point, and train loss kept falling after it (mean of the train
//                    losses after that step below the train loss at that step).
//   still improving  over the last 20 % of points, the mean of its last third is > 5 % below the
//                    mean of its first third: more steps would still help.
//   plateaued early  the loss barely moved (total drop < 2 % of where it started), or 95 % of the
//                    total drop was reached within the first 25 % of the run (smoothed curve):
//                    the remaining steps bought little.
//   converged        otherwise: the loss fell and flattened out towards the end.
export type ConvergenceLabel = 'converged' | 'still improving' | 'plateaued early' | 'overfitting' | 'diverged' | 'unknown';

export interface LossPoint {
  step: number;
  loss: number;
}

export interface QualityInput {
  summary: Record<string, unknown> | null;
  train: LossPoint[];
  val: LossPoint[];
}

export interface Quality {
  final_train_loss: number | null;
  final_val_loss: number | null;
  perplexity: { value: number; source: 'val' | 'train' } | null;
  convergence: { label: ConvergenceLabel; reason: string };
}

export const MIN_POINTS = 10;
const OVERFIT_RISE = 0.1;
const IMPROVING_DROP = 0.05;
const FLAT_TOTAL_DROP = 0.02;
const EARLY_FRACTION = 0.25;

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const fmt = (x: number) => (Math.abs(x) >= 0.01 || x === 0 ? x.toFixed(3) : x.toPrecision(3));
const rel = (from: number, to: number) => (from - to) / Math.max(Math.abs(from), 1e-12);

function numberOf(summary: Record<string, unknown> | null, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = summary?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return null;
}

function movingAverage(xs: number[], window: number): number[] {
  return xs.map((_, i) => mean(xs.slice(Math.max(0, i - window + 1), i + 1)));
}

function overfitting(train: LossPoint[], val: LossPoint[]): string | null {
  if (val.length < 3) return null;
  let iMin = 0;
  for (let i = 1; i < val.length; i++) if (val[i]!.loss < val[iMin]!.loss) iMin = i;
  const min = val[iMin]!;
  const last = val.at(-1)!;
  const rise = (last.loss - min.loss) / Math.max(Math.abs(min.loss), 1e-12);
  if (iMin === val.length - 1 || rise <= OVERFIT_RISE) return null;
  const before = train.filter((p) => p.step <= min.step).at(-1);
  const after = train.filter((p) => p.step > min.step).map((p) => p.loss);
  if (!before || after.length === 0 || mean(after) >= before.loss) return null;
  return `validation loss rose ${pct(rise)} from its minimum ${fmt(min.loss)} at step ${min.step} to ${fmt(last.loss)} while training loss kept falling`;
}

export function convergenceOf(train: LossPoint[], val: LossPoint[]): Quality['convergence'] {
  const n = train.length;
  if (n < MIN_POINTS) return { label: 'unknown', reason: n === 0 ? 'No training-loss curve was recorded.' : `Only ${n} training-loss points; at least ${MIN_POINTS} are needed to judge convergence.` };
  const losses = train.map((p) => p.loss);
  if (losses.some((l) => !Number.isFinite(l))) return { label: 'diverged', reason: 'The training loss became non-finite (NaN or infinity).' };
  const k10 = Math.max(1, Math.floor(n * 0.1));
  const first = mean(losses.slice(0, k10));
  const last = mean(losses.slice(-k10));
  if (last > first) return { label: 'diverged', reason: `Training loss ended higher than it started (first 10 %: ${fmt(first)}, last 10 %: ${fmt(last)}).` };
  const over = overfitting(train, val);
  if (over) return { label: 'overfitting', reason: `${over[0]!.toUpperCase()}${over.slice(1)}; an earlier checkpoint or fewer epochs would generalise better.` };
  const tail = losses.slice(-Math.max(3, Math.floor(n * 0.2)));
  const third = Math.max(1, Math.floor(tail.length / 3));
  const tailDrop = rel(mean(tail.slice(0, third)), mean(tail.slice(-third)));
  if (tailDrop > IMPROVING_DROP) return { label: 'still improving', reason: `Loss was still falling at the end (${pct(tailDrop)} over the last 20 % of the run); more steps would likely help.` };
  const total = first - last;
  if (rel(first, last) < FLAT_TOTAL_DROP) return { label: 'plateaued early', reason: `Loss barely moved (first 10 %: ${fmt(first)}, last 10 %: ${fmt(last)}, ${pct(rel(first, last))}); the adapter learned little. Try a higher learning rate or rank.` };
  const smooth = movingAverage(losses, Math.max(1, Math.floor(n / 20)));
  const reached = smooth.findIndex((l) => l <= last + 0.05 * total);
  if (reached >= 0 && reached < n * EARLY_FRACTION) {
    return {
      label: 'plateaued early',
      reason: `95 % of the loss drop was reached by step ${train[reached]!.step} (${pct((reached + 1) / n)} of the run); the remaining steps changed little, so fewer steps would do.`,
    };
  }
  return {
    label: 'converged',
    reason: `Loss fell ${pct(rel(first, last))} (first 10 %: ${fmt(first)}, last 10 %: ${fmt(last)}) and flattened out (${pct(Math.max(0, tailDrop))} over the last 20 %).`,
  };
}

/** Final losses, perplexity (of the validation loss when there is one) and the convergence verdict. */
export function computeQuality(input: QualityInput): Quality {
  const train = [...input.train].sort((a, b) => a.step - b.step);
  const val = [...input.val].sort((a, b) => a.step - b.step);
  const finalTrain = train.at(-1)?.loss ?? numberOf(input.summary, 'final_loss', 'train_loss');
  const finalVal = val.at(-1)?.loss ?? numberOf(input.summary, 'final_val_loss', 'eval_loss');
  const ppl = (loss: number | null, source: 'val' | 'train') => {
    const value = loss === null ? Number.NaN : Math.exp(loss);
    return Number.isFinite(value) ? { value: Number(value.toPrecision(6)), source } : null;
  };
  return {
    final_train_loss: finalTrain !== null && Number.isFinite(finalTrain) ? finalTrain : null,
    final_val_loss: finalVal !== null && Number.isFinite(finalVal) ? finalVal : null,
    perplexity: finalVal !== null ? ppl(finalVal, 'val') : ppl(finalTrain, 'train'),
    convergence: convergenceOf(train, val),
  };
}

import { describe, expect, it } from 'vitest';
import { computeQuality, convergenceOf, type LossPoint } from '@/server/versions/quality';

// Hand-made curves: one point per step, 100 steps unless said otherwise.
const curve = (f: (i: number) => number, n = 100): LossPoint[] => Array.from({ length: n }, (_, i) => ({ step: i + 1, loss: f(i) }));
const points = (pairs: [number, number][]): LossPoint[] => pairs.map(([step, loss]) => ({ step, loss }));

const decaying = curve((i) => 1 + 2 * Math.exp(-i / 15));

describe('convergence label', () => {
  it('converged: the loss fell and flattened out', () => {
    const c = convergenceOf(decaying, []);
    expect(c.label).toBe('converged');
    expect(c.reason).toBe('Loss fell 60.0 % (first 10 %: 2.509, last 10 %: 1.004) and flattened out (0.5 % over the last 20 %).');
  });

  it('still improving: the last 20 % still drops more than 5 %', () => {
    const c = convergenceOf(curve((i) => 3 - 0.02 * i), []);
    expect(c.label).toBe('still improving');
    expect(c.reason).toMatch(/still falling at the end \(\d+\.\d % over the last 20 % of the run\)/);
  });

  it('a curve that flattens only in its last few percent is not "still improving"', () => {
    // Falls steeply, then flat for the last 20 %: the tail changes < 5 %.
    expect(convergenceOf(curve((i) => (i < 80 ? 3 - 0.025 * i : 1)), []).label).toBe('converged');
  });

  it('plateaued early: 95 % of the drop within the first quarter of the run', () => {
    const c = convergenceOf(curve((i) => 1 + 2 * Math.exp(-i / 3)), []);
    expect(c.label).toBe('plateaued early');
    expect(c.reason).toMatch(/95 % of the loss drop was reached by step \d+ \(\d+\.\d % of the run\)/);
  });

  it('plateaued early: the loss barely moved at all', () => {
    const c = convergenceOf(curve((i) => 2 + 0.001 * Math.sin(i)), []);
    expect(c.label).toBe('plateaued early');
    expect(c.reason).toMatch(/^Loss barely moved/);
  });

  it('diverged: the last 10 % is above the first 10 %', () => {
    const c = convergenceOf(curve((i) => 1 + 0.02 * i), []);
    expect(c).toEqual({ label: 'diverged', reason: 'Training loss ended higher than it started (first 10 %: 1.090, last 10 %: 2.890).' });
  });

  it('overfitting: validation rose > 10 % from its minimum while training kept falling', () => {
    const val = points([
      [10, 2.0],
      [20, 1.8],
      [30, 1.6],
      [40, 1.5],
      [50, 1.45],
      [60, 1.5],
      [70, 1.6],
      [80, 1.7],
      [90, 1.8],
      [100, 1.9],
    ]);
    const c = convergenceOf(decaying, val);
    expect(c.label).toBe('overfitting');
    expect(c.reason).toBe(
      'Validation loss rose 31.0 % from its minimum 1.450 at step 50 to 1.900 while training loss kept falling; an earlier checkpoint or fewer epochs would generalise better.',
    );
  });

  it('a validation rise of 10 % or less is noise, not overfitting', () => {
    const val = points([
      [20, 1.6],
      [40, 1.5],
      [60, 1.45],
      [80, 1.5],
      [100, 1.55],
    ]);
    expect(convergenceOf(decaying, val).label).toBe('converged');
  });

  it('validation rising while training rises too is divergence, not overfitting', () => {
    const val = points([
      [30, 1.0],
      [60, 1.5],
      [90, 2.0],
    ]);
    expect(convergenceOf(curve((i) => 1 + 0.02 * i), val).label).toBe('diverged');
  });

  it('unknown with too few points', () => {
    expect(convergenceOf(curve((i) => 3 - i, 5), [])).toEqual({ label: 'unknown', reason: 'Only 5 training-loss points; at least 10 are needed to judge convergence.' });
    expect(convergenceOf([], [])).toEqual({ label: 'unknown', reason: 'No training-loss curve was recorded.' });
  });
});

describe('quality figures', () => {
  it('final losses come from the curves; perplexity is exp(final validation loss)', () => {
    const q = computeQuality({ summary: { final_loss: 9, final_val_loss: 9 }, train: decaying, val: points([[50, 1.4], [100, 1.2]]) });
    expect(q.final_train_loss).toBeCloseTo(1 + 2 * Math.exp(-99 / 15), 12);
    expect(q.final_val_loss).toBe(1.2);
    expect(q.perplexity).toEqual({ value: Number(Math.exp(1.2).toPrecision(6)), source: 'val' });
  });

  it('without validation loss, perplexity is exp(final training loss), labelled train', () => {
    const q = computeQuality({ summary: null, train: curve(() => 2), val: [] });
    expect(q.perplexity).toEqual({ value: Number(Math.exp(2).toPrecision(6)), source: 'train' });
    expect(q.final_val_loss).toBeNull();
  });

  it('without curves, the summary figures are used (final_val_loss or an axolotl eval_loss)', () => {
    expect(computeQuality({ summary: { final_loss: 1.5, final_val_loss: 1.7 }, train: [], val: [] })).toEqual({
      final_train_loss: 1.5,
      final_val_loss: 1.7,
      perplexity: { value: Number(Math.exp(1.7).toPrecision(6)), source: 'val' },
      convergence: { label: 'unknown', reason: 'No training-loss curve was recorded.' },
    });
    expect(computeQuality({ summary: { train_loss: 0.9, eval_loss: 1.1 }, train: [], val: [] })).toMatchObject({ final_train_loss: 0.9, final_val_loss: 1.1 });
    expect(computeQuality({ summary: {}, train: [], val: [] }).perplexity).toBeNull();
  });

  it('points arrive in any order; they are read in step order', () => {
    const shuffled = [...decaying].reverse();
    expect(computeQuality({ summary: null, train: shuffled, val: [] })).toEqual(computeQuality({ summary: null, train: decaying, val: [] }));
  });
});

import { describe, expect, it } from 'vitest';
import { formatBytes, formatLoss, initialWeight, metricSummary, paramEntries, paramSummary, shortHash } from './format.ts';

describe('versions table formatting', () => {
  it('sizes, hashes, params and metrics', () => {
    expect([formatBytes(null), formatBytes(512), formatBytes(2048), formatBytes(5 * 1024 * 1024), formatBytes(1.5 * 1024 ** 3)]).toEqual(['—', '512 B', '2.0 KB', '5.0 MB', '1.5 GB']);
    expect(shortHash('a'.repeat(64))).toBe('aaaaaaaaaaaa');
    expect(shortHash(null)).toBe('—');
    expect(paramSummary({ alpha: 8, rank: 16, steps: 1500, learning_rate: 0.0001, optimizer: 'adamw' })).toBe('steps 1500 · rank 16 · alpha 8 · lr 0.0001');
    expect(paramSummary({})).toBe('—');
    expect(metricSummary({ final_loss: 0.1234 })).toBe('loss 0.123');
    expect(metricSummary({ final_loss: 0.00123 })).toBe('loss 0.0012');
    expect(metricSummary(null)).toBe('—');
  });
  it('the slider starts inside the range', () => {
    expect(initialWeight({ min: 0, max: 1.5, default: 0.8 }, null)).toBe(0.8);
    expect(initialWeight({ min: 0, max: 1.5, default: 0.8 }, 1.2)).toBe(1.2);
    expect(initialWeight({ min: 0, max: 1, default: 1 }, 3)).toBe(1);
  });
  it('losses and params for the text-version details', () => {
    expect([formatLoss(1.23456), formatLoss(0.001234), formatLoss(0), formatLoss(null), formatLoss(Number.NaN)]).toEqual(['1.235', '0.001234', '0.000', '—', '—']);
    expect(paramEntries({ rank: 8, target_modules: ['q_proj', 'v_proj'], alpha: 16, extra: { a: 1 }, none: null })).toEqual([
      ['alpha', '16'],
      ['extra', '{"a":1}'],
      ['rank', '8'],
      ['target_modules', 'q_proj, v_proj'],
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import type { DatasetView } from '@/components/datasets/types';
import { trainingReadiness } from './readiness.ts';

const view = (p: Partial<DatasetView>): DatasetView => ({
  id: 'ds_x',
  name: 'photos',
  model_id: 'lm_x',
  modality: 'image',
  status: 'validating',
  verdict: null,
  dataset_hash: null,
  image_count: 20,
  example_count: null,
  total_bytes: 1,
  quality_report: null,
  validation_progress: null,
  error: null,
  base_model: null,
  pending_uploads: 0,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...p,
});

describe('Start training gating', () => {
  it('is disabled, with the reason, until a validated dataset whose verdict is not block', () => {
    expect(trainingReadiness(null, false)).toMatchObject({ ok: false, reason: /Upload photos/ });
    expect(trainingReadiness(view({ image_count: 0 }), false)).toMatchObject({ ok: false, reason: /Upload photos/ });
    expect(trainingReadiness(view({}), false)).toMatchObject({ ok: false, reason: /Validate the dataset first/ });
    expect(trainingReadiness(view({ status: 'rejected', verdict: 'block' }), false)).toMatchObject({ ok: false, reason: /blocked/ });
    expect(trainingReadiness(view({ status: 'ready', verdict: 'warn' }), true)).toMatchObject({ ok: false, reason: /Wait/ });
    expect(trainingReadiness(view({ status: 'ready', verdict: 'warn' }), false)).toMatchObject({ ok: true, note: /warnings/ });
    expect(trainingReadiness(view({ status: 'ready', verdict: 'pass' }), false)).toMatchObject({ ok: true });
  });
});

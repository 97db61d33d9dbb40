import { describe, expect, it } from 'vitest';
import type { ReportItem } from '../datasets/images/report-schema.ts';
import { candidateFromReportItem, selectReferenceImages, type ReferenceCandidate } from './reference-images.ts';
import { prng, shuffled } from './test-fixtures.ts';

const item = (id: string, over: Partial<ReferenceCandidate> = {}): ReferenceCandidate => ({
  id,
  status: 'ok',
  sharpness: 300,
  exposure_ok: true,
  face_size: 0.3,
  pose: 'frontal',
  ...over,
});

describe('selectReferenceImages', () => {
  const set: ReferenceCandidate[] = [
    item('f-best', { sharpness: 800 }),
    item('f-ok', { sharpness: 200 }),
    item('f-dark', { sharpness: 900, exposure_ok: false }),
    item('l-1', { pose: 'left', sharpness: 150 }),
    item('l-2', { pose: 'left', sharpness: 120 }),
    item('r-1', { pose: 'right', sharpness: 100, face_size: 0.1 }),
    item('u-1', { pose: 'up' }),
    item('d-1', { pose: 'down', status: 'warn' }),
    item('rejected', { sharpness: 5000, status: 'rejected' }),
    item('dup', { sharpness: 5000, exact_duplicate_of: 'f-best' }),
    item('two-faces', { sharpness: 5000, face_unusable: true }),
    item('near-a', { pose: 'frontal', sharpness: 350, near_duplicate_cluster: 'c1' }),
    item('near-b', { pose: 'frontal', sharpness: 400, near_duplicate_cluster: 'c1' }),
  ];

  it('covers poses first (frontal, left, right, up, down), then fills by quality', () => {
    expect(selectReferenceImages(set, 7)).toEqual(['f-best', 'l-1', 'r-1', 'u-1', 'd-1', 'near-b', 'f-ok']);
  });

  it('respects max and starts with the best frontal photo', () => {
    expect(selectReferenceImages(set, 1)).toEqual(['f-best']);
    expect(selectReferenceImages(set, 3)).toEqual(['f-best', 'l-1', 'r-1']);
    expect(selectReferenceImages(set, 0)).toEqual([]);
  });

  it('never returns rejected, duplicate, unusable-face or a second near-duplicate', () => {
    const all = selectReferenceImages(set, 100);
    for (const bad of ['rejected', 'dup', 'two-faces', 'near-a']) expect(all).not.toContain(bad);
    expect(all).toHaveLength(set.length - 4);
    expect(new Set(all).size).toBe(all.length);
  });

  it('is deterministic whatever the input order; ties broken by id', () => {
    const expected = selectReferenceImages(set, 5);
    const rand = prng(99);
    for (let i = 0; i < 20; i++) expect(selectReferenceImages(shuffled(set, rand), 5)).toEqual(expected);
    const ties = [item('b'), item('a'), item('c')];
    expect(selectReferenceImages(ties, 3)).toEqual(['a', 'b', 'c']);
  });

  it('ignores repeated ids (first occurrence wins)', () => {
    expect(selectReferenceImages([item('x', { status: 'rejected' }), item('x'), item('y')], 5)).toEqual(['y']);
  });
});

describe('candidateFromReportItem', () => {
  const base: ReportItem = {
    id: 'dsi_1',
    filename: 'a.jpg',
    status: 'warn',
    bytes: 1000,
    sha256: 'a'.repeat(64),
    format: 'jpeg',
    width: 1024,
    height: 1024,
    orientation: 1,
    phash: null,
    sharpness: 240,
    exposure: { mean: 0.2, shadows_clipped: 0.3, highlights_clipped: 0 },
    exact_duplicate_of: null,
    near_duplicate_cluster: 'c9',
    faces: {
      count: 1,
      primary: { box: { x: 0, y: 0, width: 1, height: 1 }, size_ratio: 0.25, size_px: 300, score: 0.9, yaw: 30, pitch: 0, roll: 0, pose: 'left' },
      identity_similarity: 0.8,
      identity_distance: 0.2,
    },
    problems: [{ code: 'too_dark', severity: 'warn', message: 'dark', hint: 'light' }],
  };

  it('maps quality facts, exposure and face problems', () => {
    expect(candidateFromReportItem(base)).toEqual({
      id: 'dsi_1',
      status: 'warn',
      sharpness: 240,
      exposure_ok: false,
      face_size: 0.25,
      pose: 'left',
      exact_duplicate_of: null,
      near_duplicate_cluster: 'c9',
      face_unusable: false,
    });
    const outlier = { ...base, problems: [{ code: 'identity_outlier' as const, severity: 'warn' as const, message: '', hint: '' }] };
    expect(candidateFromReportItem(outlier).face_unusable).toBe(true);
    expect(candidateFromReportItem({ ...base, faces: null, problems: [] })).toMatchObject({ pose: null, face_size: null, exposure_ok: true, face_unusable: false });
  });
});

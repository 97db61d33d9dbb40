import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BASE_MODEL_DEFAULTS } from './config.ts';
import { buildQualityReport } from './report.ts';
import { QualityReportSchema, type QualityReport } from './report-schema.ts';
import type { DetectedFace, ItemFacts } from './schemas.ts';

// buildQualityReport is pure, so these tests drive every rule from hand-made facts.

const FLUX = BASE_MODEL_DEFAULTS['flux-dev']!;
const DIM = 32;
function personVector(person: number, jitter: number): number[] {
  const v = Array.from({ length: DIM }, (_, d) => Math.sin((d + 1) * (person + 1) * 1.7) + 0.08 * Math.sin(jitter * 13.1 + d * 3.3));
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}
// Unrelated photos have unrelated hashes (about 32 bits apart).
const distinctHash = (i: number) => createHash('sha256').update(`photo ${i}`).digest('hex').slice(0, 16);

function face(over: Partial<DetectedFace> = {}): DetectedFace {
  return { box: { x: 0.3, y: 0.2, width: 0.4, height: 0.4 }, sizeRatio: 0.4, score: 1, yaw: 0, pitch: 0, roll: 0, embedding: personVector(0, 0), ...over };
}

let n = 1000; // ids of extra items never collide with cleanSet's 0..99
function item(over: Partial<ItemFacts> & { faceList?: DetectedFace[] | null; i?: number } = {}): ItemFacts {
  const i = over.i ?? n++;
  const sha = i.toString(16).padStart(64, '0');
  const { faceList, ...rest } = over;
  return {
    id: `dsi_${i}`,
    filename: `photo-${i}.jpg`,
    bytes: 1000,
    sha256: sha,
    facts: {
      format: 'jpeg', width: 1200, height: 1600, orientation: 1, sourceColourSpace: 'srgb', sourceBitDepth: 8, hadAlpha: false,
      bytes: 1000, sha256: sha, phash: distinctHash(i), phashMirrored: distinctHash(i + 500), sharpness: 300,
      exposure: { mean: 0.5, shadowsClipped: 0.01, highlightsClipped: 0.01 },
    },
    rejection: null,
    faces: faceList === null ? null : { faces: faceList ?? [face({ embedding: personVector(0, i), yaw: [0, 30, -30][i % 3]! })] },
    faceQuality: { sharpness: 200, exposure: { mean: 0.5, shadowsClipped: 0, highlightsClipped: 0 } },
    faceError: null,
    ...rest,
  };
}
const cleanSet = (count: number) => Array.from({ length: count }, (_, k) => item({ i: k }));
const codes = (r: QualityReport) => r.problems.map((p) => p.code);
const itemCodes = (r: QualityReport, id: string) => r.items.find((x) => x.id === id)!.problems.map((p) => p.code);

describe('buildQualityReport', () => {
  it('passes a clean, varied identity set and matches its schema', () => {
    const r = buildQualityReport({ kind: 'identity', items: cleanSet(22), baseModel: FLUX });
    expect(r.problems).toEqual([]);
    expect(r.verdict).toBe('pass');
    expect(r.counts).toMatchObject({ total: 22, usable: 22, rejected: 0, distinct: 22 });
    expect(r.pose_coverage?.present).toEqual(['frontal', 'left', 'right']);
    expect(r.items.every((x) => x.status === 'ok' && (x.faces?.identity_similarity ?? 0) > 0.9)).toBe(true);
    expect(QualityReportSchema.parse(r)).toEqual(r);
    expect(JSON.stringify(r)).not.toContain('embedding');
  });

  it('applies the count rules of the kind', () => {
    expect(buildQualityReport({ kind: 'identity', items: cleanSet(12), baseModel: FLUX })).toMatchObject({ verdict: 'block' });
    expect(codes(buildQualityReport({ kind: 'identity', items: cleanSet(12), baseModel: FLUX }))).toContain('count_below_min');
    const few = buildQualityReport({ kind: 'identity', items: cleanSet(16), baseModel: FLUX });
    expect([few.verdict, codes(few)]).toEqual(['warn', ['count_below_recommended']]);
    const many = buildQualityReport({ kind: 'identity', items: cleanSet(31), baseModel: FLUX });
    expect([many.verdict, codes(many)]).toEqual(['block', ['count_above_max']]);
    // style: 10–100 by default, faces ignored
    const style = buildQualityReport({ kind: 'style', items: cleanSet(12).map((x) => ({ ...x, faces: { faces: [] } })), baseModel: FLUX });
    expect(codes(style)).toEqual(['count_below_recommended']);
    expect(style.pose_coverage).toBeNull();
    const product = buildQualityReport({ kind: 'product', items: cleanSet(4), baseModel: FLUX, limits: { min: 3 } });
    expect(product.counts.limits.min).toBe(3);
    expect(codes(product)).toEqual(['count_below_recommended']);
  });

  it('excludes rejected files from the counts and names them', () => {
    const heic = item({ facts: null, faces: null, faceQuality: null, rejection: { code: 'heic_not_supported', message: '"IMG_1.HEIC" is a HEIC photo. Convert it to JPEG.', hint: 'Convert to JPEG.' }, filename: 'IMG_1.HEIC' });
    const r = buildQualityReport({ kind: 'identity', items: [...cleanSet(15), heic], baseModel: FLUX });
    expect(r.counts).toMatchObject({ total: 16, usable: 15, rejected: 1 });
    expect(r.items.at(-1)).toMatchObject({ status: 'rejected', format: null });
    expect(itemCodes(r, heic.id)).toEqual(['heic_not_supported']);
    const excluded = r.problems.find((p) => p.code === 'items_excluded')!;
    expect(excluded.message).toContain('"IMG_1.HEIC" (HEIC, convert to JPEG)');
    expect(excluded.item_ids).toEqual([heic.id]);
    expect(r.verdict).toBe('warn');

    const broken = [heic, { ...heic, id: 'dsi_x', filename: 'x.heic' }];
    const none = buildQualityReport({ kind: 'identity', items: broken, baseModel: FLUX });
    expect([none.verdict, codes(none)[0]]).toEqual(['block', 'no_usable_images']);
  });

  it('uses one copy of an exact duplicate and groups near duplicates', () => {
    const set = cleanSet(20);
    const copy = { ...set[3]!, id: 'dsi_copy', filename: 'copy.jpg' };
    const resized = item({ filename: 'resized.jpg' });
    resized.facts = { ...resized.facts!, phash: set[5]!.facts!.phash.replace(/.$/, (c) => (parseInt(c, 16) ^ 1).toString(16)) }; // one bit off
    const r = buildQualityReport({ kind: 'identity', items: [...set, copy, resized], baseModel: FLUX });
    expect(r.items.find((x) => x.id === 'dsi_copy')).toMatchObject({ status: 'rejected', exact_duplicate_of: set[3]!.id });
    expect(r.exact_duplicates).toEqual([{ sha256: set[3]!.sha256, item_ids: [set[3]!.id, 'dsi_copy'] }]);
    expect(r.near_duplicate_clusters).toEqual([{ id: 'nd1', item_ids: [set[5]!.id, resized.id], max_distance: 1 }]);
    expect(itemCodes(r, resized.id)).toEqual(['near_duplicate']);
    expect(r.counts).toMatchObject({ usable: 21, distinct: 20 });
    expect(codes(r)).toEqual(['items_excluded', 'exact_duplicates', 'near_duplicates']);
  });

  it('shows a too-small copy in its cluster without counting or warning it twice', () => {
    const set = cleanSet(20);
    const thumb = item({ filename: 'thumb-240p.jpg' });
    thumb.facts = { ...thumb.facts!, width: 427, height: 240, phash: set[7]!.facts!.phash };
    const r = buildQualityReport({ kind: 'identity', items: [...set, thumb], baseModel: FLUX });
    expect(r.near_duplicate_clusters).toEqual([{ id: 'nd1', item_ids: [set[7]!.id, thumb.id], max_distance: 0 }]);
    expect(itemCodes(r, thumb.id)).toEqual(['too_small']);
    expect(itemCodes(r, set[7]!.id)).toEqual([]);
    expect(r.counts).toMatchObject({ usable: 20, distinct: 20 });
    expect(codes(r)).toEqual(['items_excluded']);
  });

  it('blocks when too few photos are distinct', () => {
    const set = cleanSet(16).map((x, k) => (k < 6 ? { ...x, facts: { ...x.facts!, phash: 'aaaaaaaaaaaaaaaa' } } : x));
    const r = buildQualityReport({ kind: 'identity', items: set, baseModel: FLUX });
    expect(r.counts.distinct).toBe(11);
    expect(r.verdict).toBe('block');
    expect(codes(r)).toContain('too_few_distinct');
  });

  it('warns about one stranger and blocks a set of two people', () => {
    const stranger = item({ filename: 'someone-else.jpg', faceList: [face({ embedding: personVector(5, 1) })] });
    const r = buildQualityReport({ kind: 'identity', items: [...cleanSet(20), stranger], baseModel: FLUX });
    expect(r.identity?.outlier_ids).toEqual([stranger.id]);
    expect(r.verdict).toBe('warn');
    expect(r.problems.find((p) => p.code === 'identity_outliers')!.message).toContain('"someone-else.jpg"');
    expect(r.items.at(-1)!.faces!.identity_distance).toBeGreaterThan(0.42);

    const mixed = [...cleanSet(12), ...Array.from({ length: 8 }, (_, k) => item({ faceList: [face({ embedding: personVector(5, k) })] }))];
    const m = buildQualityReport({ kind: 'identity', items: mixed, baseModel: FLUX });
    expect(m.verdict).toBe('block');
    expect(codes(m)[0]).toBe('mixed_identities');
    expect(m.identity?.outlier_ids).toHaveLength(8);
  });

  it('checks the faces of an identity set', () => {
    const none = item({ filename: 'landscape.jpg', faceList: [] });
    const two = item({ filename: 'couple.jpg', faceList: [face(), face({ sizeRatio: 0.35 })] });
    const background = item({ filename: 'crowd.jpg', faceList: [face({ embedding: personVector(0, 3) }), face({ sizeRatio: 0.05 })] });
    const tiny = item({ filename: 'far.jpg', faceList: [face({ box: { x: 0.5, y: 0.5, width: 0.02, height: 0.02 }, sizeRatio: 0.02 })] });
    const small = item({ filename: 'full-body.jpg', faceList: [face({ box: { x: 0.5, y: 0.1, width: 0.1, height: 0.08 }, sizeRatio: 0.09 })] });
    const r = buildQualityReport({ kind: 'identity', items: [...cleanSet(20), none, two, background, tiny, small], baseModel: FLUX });
    expect(itemCodes(r, none.id)).toEqual(['no_face']);
    expect(itemCodes(r, two.id)).toEqual(['multiple_faces']);
    expect(itemCodes(r, background.id)).toEqual(['extra_faces']);
    expect(itemCodes(r, tiny.id)).toEqual(['face_tiny']);
    expect(itemCodes(r, small.id)).toEqual(['face_too_small']);
    expect(r.items.filter((x) => x.status === 'rejected').map((x) => x.id)).toEqual([none.id, two.id, tiny.id]);
    expect(r.counts.usable).toBe(22);
  });

  it('judges resolution against the base model and quality on the face when there is one', () => {
    const small = item({ filename: 'small.jpg' });
    small.facts = { ...small.facts!, width: 480, height: 640 };
    const medium = item({ filename: 'medium.jpg' });
    medium.facts = { ...medium.facts!, width: 800, height: 1000 };
    const blurryFace = item({ filename: 'soft.jpg', faceQuality: { sharpness: 5, exposure: { mean: 0.5, shadowsClipped: 0, highlightsClipped: 0 } } });
    const darkFace = item({ filename: 'dark.jpg', faceQuality: { sharpness: 3, exposure: { mean: 0.05, shadowsClipped: 0.4, highlightsClipped: 0 } } });
    const r = buildQualityReport({ kind: 'identity', items: [...cleanSet(20), small, medium, blurryFace, darkFace], baseModel: FLUX });
    expect(itemCodes(r, small.id)).toEqual(['too_small']);
    expect(itemCodes(r, medium.id)).toEqual(['below_recommended_resolution']);
    expect(itemCodes(r, blurryFace.id)).toEqual(['blurry']);
    expect(itemCodes(r, darkFace.id)).toEqual(['too_dark']); // blur explained by darkness is not repeated
    const sdxl = buildQualityReport({ kind: 'identity', items: [...cleanSet(20), small], baseModel: { id: 'sdxl-base-1.0', minResolution: 768, recommendedResolution: 1024 } });
    expect(sdxl.items.at(-1)!.problems[0]!.message).toContain('sdxl-base-1.0 needs at least 768 px');

    // Without a face (style set) the whole photo is judged.
    const flatStyle = cleanSet(12).map((x, k) => (k === 0 ? { ...x, facts: { ...x.facts!, sharpness: 3 } } : k === 1 ? { ...x, facts: { ...x.facts!, exposure: { mean: 0.97, shadowsClipped: 0, highlightsClipped: 0.8 } } } : x));
    const style = buildQualityReport({ kind: 'style', items: flatStyle, baseModel: FLUX });
    expect(style.items[0]!.problems.map((p) => p.code)).toEqual(['blurry']);
    expect(style.items[1]!.problems.map((p) => p.code)).toEqual(['too_bright']);
  });

  it('reports pose coverage and an unchecked identity set', () => {
    const frontal = cleanSet(20).map((x) => ({ ...x, faces: { faces: [face({ embedding: personVector(0, Number(x.id.slice(4))) })] } }));
    const r = buildQualityReport({ kind: 'identity', items: frontal, baseModel: FLUX });
    expect(r.pose_coverage).toMatchObject({ present: ['frontal'], missing: ['left', 'right', 'up', 'down'] });
    expect(codes(r)).toEqual(['pose_coverage']);
    expect(r.problems[0]!.message).toContain('no photo turned left or turned right');

    const off = buildQualityReport({ kind: 'identity', items: cleanSet(20).map((x) => ({ ...x, faces: null, faceQuality: null })), baseModel: FLUX });
    expect([off.faces_checked, codes(off)]).toEqual([false, ['faces_not_checked']]);
  });
});

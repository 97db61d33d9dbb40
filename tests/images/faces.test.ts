import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_MODEL_DEFAULTS,
  buildQualityReport,
  collectItemFacts,
  cosineSimilarity,
  createFaceAnalyzer,
  validateImages,
  type FaceAnalyzer,
  type ImageInput,
  type ItemFacts,
  type QualityReport,
} from '@/server/datasets/images/index.ts';
import { ASTRONAUT, GRACE_HOPPER, faceScene, identitySet, landscape } from './synthetic.ts';

// The real face model (@vladmandic/human in its worker) on sets built from the two
// public-domain portraits. One analyzer (one model load) for the whole file.

const FLUX = BASE_MODEL_DEFAULTS['flux-dev']!;
let analyzer: FaceAnalyzer;
let inputs: ImageInput[];
let facts: ItemFacts[];
let dirty: QualityReport;
let clean: QualityReport;

const byName = (r: QualityReport, filename: string) => r.items.find((i) => i.filename === filename)!;
const codesOf = (r: QualityReport, filename: string) => byName(r, filename).problems.map((p) => p.code);

beforeAll(async () => {
  analyzer = createFaceAnalyzer();
  const set = await identitySet(20);
  const twoPeople = await sharp(await faceScene({ seed: 11, width: 1600, height: 1000, scale: 1.8, cx: 0.25 }))
    .composite([{ input: await faceScene({ face: 'grace', seed: 12, width: 700, height: 900, scale: 1.4 }), left: 860, top: 50 }])
    .jpeg()
    .toBuffer();
  const extras: [string, Buffer][] = [
    ['grace.jpg', await faceScene({ face: 'grace', seed: 7, scale: 1.3 })],
    ['blurred.jpg', await sharp(set[0]).blur(6).jpeg().toBuffer()],
    ['resized.jpg', await sharp(set[1]).resize(900).jpeg({ quality: 85 }).toBuffer()],
    ['copy.jpg', set[2]!],
    ['landscape.jpg', await landscape(5)],
    ['small-face.jpg', await faceScene({ seed: 9, width: 2048, height: 2048, scale: 1.1, cx: 0.3, cy: 0.4 })],
    ['tiny.jpg', await faceScene({ seed: 9, width: 400, height: 300, scale: 0.8 })],
    ['dark.jpg', await sharp(set[3]).linear(0.15, 0).jpeg().toBuffer()],
    ['two-people.jpg', twoPeople],
  ];
  inputs = [...set.map((bytes, i) => ({ id: `dsi_a${i}`, filename: `collins-${i}.jpg`, bytes })), ...extras.map(([filename, bytes]) => ({ id: `dsi_${filename}`, filename, bytes }))];
  facts = await collectItemFacts(inputs, { kind: 'identity', baseModel: FLUX, faces: analyzer });
  dirty = buildQualityReport({ kind: 'identity', items: facts, baseModel: FLUX });
  clean = buildQualityReport({ kind: 'identity', items: facts.slice(0, 20), baseModel: FLUX });
}, 180_000);

afterAll(async () => {
  await analyzer?.close();
});

describe('FaceAnalyzer', () => {
  it('finds one face with a box, angles and a unit embedding; none in a landscape', async () => {
    const { faces } = await analyzer.analyze(ASTRONAUT);
    expect(faces).toHaveLength(1);
    const f = faces[0]!;
    expect(f.box.x).toBeGreaterThan(0.2);
    expect(f.box.x + f.box.width).toBeLessThan(0.7);
    expect(f.sizeRatio).toBeGreaterThan(0.2);
    expect(f.score).toBeGreaterThan(0.8);
    expect(Math.abs(f.yaw)).toBeLessThan(15);
    expect(Math.abs(f.roll)).toBeLessThan(15);
    expect(f.embedding.length).toBeGreaterThan(100);
    expect(Math.hypot(...f.embedding)).toBeCloseTo(1, 5);
    expect((await analyzer.analyze(await landscape(8))).faces).toEqual([]);
  });

  it('gives the same person similar embeddings and another person a distant one', async () => {
    const [a, mirrored, other] = await Promise.all([
      analyzer.analyze(ASTRONAUT),
      analyzer.analyze(await sharp(ASTRONAUT).flop().png().toBuffer()),
      analyzer.analyze(GRACE_HOPPER),
    ]);
    const e = (r: typeof a) => r.faces[0]!.embedding;
    expect(cosineSimilarity(e(a), e(mirrored))).toBeGreaterThan(0.8);
    expect(cosineSimilarity(e(a), e(other))).toBeLessThan(0.6);
    const stats = await analyzer.stats();
    expect(stats.loadMs).toBeGreaterThan(0);
    expect(stats.tensors).toBeGreaterThan(0); // model weights, loaded once
  });
});

describe('identity set validation', () => {
  it('passes a clean set of one person apart from its pose coverage', () => {
    expect(clean.counts).toMatchObject({ total: 20, usable: 20, distinct: 20 });
    expect(clean.items.map((i) => i.status)).toEqual(Array(20).fill('ok'));
    expect(clean.items.every((i) => i.faces?.count === 1 && i.faces.identity_similarity! > 0.8)).toBe(true);
    // Every variant is a frontal face: the only finding is the missing side views.
    expect(clean.problems.map((p) => p.code)).toEqual(['pose_coverage']);
    expect(clean.verdict).toBe('warn');
  });

  it('fires each check on the photo that deserves it, naming the file', () => {
    expect(codesOf(dirty, 'grace.jpg')).toEqual(['identity_outlier']);
    expect(codesOf(dirty, 'blurred.jpg')).toContain('blurry');
    expect(codesOf(dirty, 'resized.jpg')).toContain('near_duplicate');
    expect(byName(dirty, 'copy.jpg')).toMatchObject({ status: 'rejected', exact_duplicate_of: 'dsi_a2' });
    expect(codesOf(dirty, 'landscape.jpg')).toContain('no_face');
    expect(codesOf(dirty, 'small-face.jpg')).toEqual(['face_too_small']);
    expect(codesOf(dirty, 'tiny.jpg')).toEqual(['too_small']);
    expect(codesOf(dirty, 'dark.jpg')).toContain('too_dark');
    expect(codesOf(dirty, 'two-people.jpg')).toContain('multiple_faces');

    expect(dirty.identity?.outlier_ids).toEqual(['dsi_grace.jpg']);
    expect(dirty.near_duplicate_clusters.map((c) => c.item_ids.sort())).toEqual(
      expect.arrayContaining([['dsi_a1', 'dsi_resized.jpg'], ['dsi_a0', 'dsi_blurred.jpg']]),
    );
    expect(dirty.verdict).toBe('warn');
    const text = dirty.reasons.join('\n');
    for (const name of ['grace.jpg', 'copy.jpg', 'landscape.jpg', 'tiny.jpg', 'two-people.jpg', 'blurred.jpg', 'resized.jpg', 'dark.jpg', 'small-face.jpg']) {
      expect(text).toContain(`"${name}"`);
    }
    for (const clean of dirty.items.filter((i) => i.filename.startsWith('collins-') && !['dsi_a0', 'dsi_a1', 'dsi_a3'].includes(i.id))) {
      expect(clean.problems).toEqual([]);
    }
  });

  it('composes everything in validateImages, with or without faces', async () => {
    const some = [inputs[4]!, inputs[5]!, inputs.find((i) => i.filename === 'landscape.jpg')!];
    const progress: number[] = [];
    const withFaces = await validateImages(some, { kind: 'identity', baseModel: FLUX, faces: analyzer, onProgress: (d) => progress.push(d) });
    expect(progress).toEqual([1, 2, 3]);
    expect(withFaces.faces_checked).toBe(true);
    expect(codesOf(withFaces, 'landscape.jpg')).toContain('no_face');
    expect(withFaces.problems[0]!.code).toBe('count_below_min');

    const noFaces = await validateImages(some, { kind: 'identity', baseModel: FLUX, faces: false });
    expect(noFaces.faces_checked).toBe(false);
    expect(noFaces.items.every((i) => i.faces === null)).toBe(true);
    expect(noFaces.problems.map((p) => p.code)).toContain('faces_not_checked');
    expect(codesOf(noFaces, 'landscape.jpg')).not.toContain('no_face');
  });
});

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BASE_MODEL_DEFAULTS,
  buildQualityReport,
  collectItemFacts,
  cosineSimilarity,
  createFaceAnalyzer,
  nearDistance,
  type FaceAnalyzer,
  type ItemFacts,
  type QualityReport,
} from '@/server/datasets/images/index.ts';

// The validator against real photos and real awkward files from ../shared/fixtures
// (third-party, never committed). Thresholds in config.ts were calibrated here; the
// numbers observed are printed at the end (same vs different person, pHash distances).

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const FIX = path.resolve(ROOT, '../shared/fixtures');
const FLUX = BASE_MODEL_DEFAULTS['flux-dev']!;
const DIRS = ['identity/deepface_angelina_jolie', 'identity/deepface_other_identities', 'identity/face_recognition_obama', 'identity/human_stock_emotions_a', 'identity/human_stock_emotions_b', 'identity/human_stock_teen', 'identity/human_person_vlado', 'negatives', 'awkward', 'objects/dreambooth/dataset/backpack'];

let analyzer: FaceAnalyzer;
const facts = new Map<string, ItemFacts>();
const ids = (prefix: string) => [...facts.keys()].filter((k) => k.startsWith(prefix));
const pick = (...keys: string[]) => keys.map((k) => {
  const f = facts.get(k);
  if (!f) throw new Error(`no fixture ${k}`);
  return f;
});
const report = (items: ItemFacts[], kind: 'identity' | 'style' | 'product' = 'identity'): QualityReport => buildQualityReport({ kind, items, baseModel: FLUX });
const item = (r: QualityReport, id: string) => r.items.find((i) => i.id === id)!;
const codes = (r: QualityReport, id: string) => item(r, id).problems.map((p) => p.code);

beforeAll(async () => {
  if (!existsSync(FIX)) throw new Error(`real-world fixtures not found at ${FIX}`);
  const inputs = DIRS.flatMap((d) =>
    readdirSync(path.join(FIX, d))
      .filter((f) => !/\.(csv|md|txt)$/.test(f))
      .map((f) => ({ id: `${d.split('/').pop()}/${f}`, filename: f, bytes: readFileSync(path.join(FIX, d, f)) })),
  );
  analyzer = createFaceAnalyzer();
  for (const f of await collectItemFacts(inputs, { kind: 'identity', baseModel: FLUX, faces: analyzer })) facts.set(f.id, f);
}, 300_000);

afterAll(async () => {
  await analyzer?.close();
});

describe('identity sets with another person mixed in', () => {
  const jolie = () => ids('deepface_angelina_jolie/').map((k) => facts.get(k)!);

  it.each(['img3.jpg', 'img8.jpg', 'img13.jpg', 'img18.jpg', 'img24.jpg', 'img34.jpg', 'img38.jpg'])('names %s among the Jolie photos as an outlier', (other) => {
    const id = `deepface_other_identities/${other}`;
    const r = report([...jolie(), ...pick(id)]);
    expect(r.identity!.outlier_ids).toEqual([id]);
    expect(r.problems.find((p) => p.code === 'identity_outliers')!.message).toContain(`"${other}"`);
  });

  it('names Biden among the Obama photos, and only him', () => {
    const r = report(ids('face_recognition_obama/').map((k) => facts.get(k)!));
    expect(r.identity!.outlier_ids).toEqual(['face_recognition_obama/_different_identity_biden.jpg']);
  });

  it('flags a dog slipped into an identity set', () => {
    const dog = 'negatives/zero_human_faces_dog_dreambooth_dog_00.jpg';
    const r = report([...jolie(), ...pick(dog)]);
    expect(codes(r, dog).some((c) => c === 'no_face' || c === 'identity_outlier')).toBe(true);
  });

  it('keeps a one-person set free of outliers where the photos are clear', () => {
    for (const set of ['deepface_angelina_jolie/', 'human_stock_emotions_a/', 'human_stock_teen/', 'human_person_vlado/']) {
      expect(report(ids(set).map((k) => facts.get(k)!)).identity!.outlier_ids).toEqual([]);
    }
  });

  it('separates the Jolie set too small photos and sees the mirrored copy', () => {
    const r = report(jolie());
    expect(codes(r, 'deepface_angelina_jolie/img5.jpg')).toEqual(['too_small']); // 330×512
    expect(codes(r, 'deepface_angelina_jolie/img10.jpg')).toEqual(['too_small']); // 408×594
    // img11_reflection is img11 flipped and upscaled: 30 bits apart by pHash, 0 through the mirror hash.
    expect(codes(r, 'deepface_angelina_jolie/img11_reflection.jpg')).toContain('near_duplicate');
    expect(item(r, 'deepface_angelina_jolie/img11_reflection.jpg').problems[0]!.message).toContain('a mirrored copy of "img11.jpg"');
  });
});

describe('near-duplicate resolutions', () => {
  it('puts the same frame at 1080p, 720p, 480p and 240p in one cluster', () => {
    const frames = ['1080p', '720p', '480p', '240p'].map((p) => `face_recognition_obama/obama-${p}.jpg`);
    const r = report(ids('face_recognition_obama/').map((k) => facts.get(k)!));
    const cluster = r.near_duplicate_clusters.find((c) => c.item_ids.includes(frames[0]!))!;
    expect([...cluster.item_ids].sort()).toEqual([...frames].sort());
    expect(codes(r, frames[1]!)).toContain('near_duplicate');
    expect(codes(r, frames[3]!)).toEqual(['too_small']); // excluded, but still shown in its cluster
    expect(r.near_duplicate_clusters).toHaveLength(1);
  });
});

describe('negatives', () => {
  const n = (f: string) => `negatives/${f}`;
  const r = () => report(ids('negatives/').map((k) => facts.get(k)!));

  it('finds no face in a landscape', () => {
    expect(codes(r(), n('zero_faces_landscape_human_background.jpg'))).toContain('no_face');
  });
  it.each(['two_faces_deepface_couple.jpg', 'two_faces_face_recognition_obama_and_biden.jpg', 'two_faces_face_recognition_two_people.jpg', 'multi_face_human_group-2.jpg', 'multi_face_human_group-3.jpg', 'multi_face_human_stock-group-1.jpg', 'multi_face_deepface_selfie-many-people.jpg', 'multi_face_many_human_solvay1927.jpg'])('rejects %s for several faces', (f) => {
    expect(codes(r(), n(f))).toContain('multiple_faces');
    expect(item(r(), n(f)).faces!.count).toBeGreaterThanOrEqual(2);
  });
  it('warns about a tiny face on a full body and rejects a 256 px image', () => {
    expect(codes(r(), n('tiny_face_fullbody_human_stock-models-1.jpg'))).toContain('face_too_small');
    expect(codes(r(), n('too_small_cgi_face_256_human_ai-face.jpg'))).toEqual(['too_small']);
  });
});

describe('awkward files', () => {
  const a = (f: string) => facts.get(`awkward/${f}`)!;

  it('shows every EXIF orientation upright at 1200×1800, as the same picture', () => {
    const upright = [1, 2, 3, 4, 5, 6, 7, 8].map((o) => a(`exif_Portrait_${o}.jpg`).facts!);
    expect(upright.map((f) => [f.width, f.height])).toEqual(Array(8).fill([1200, 1800]));
    expect(upright.map((f) => f.orientation)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const f of upright) expect(nearDistance(f, upright[0]!)).toEqual({ distance: 0, mirrored: false });
  });

  it('converts CMYK and 16-bit files and reads AVIF and oriented WebP', () => {
    expect(a('sharp_Channel_digital_image_CMYK_color_no_profile.jpg').facts).toMatchObject({ sourceColourSpace: 'cmyk', width: 500, height: 333 });
    expect(a('sharp_Flag_of_the_Netherlands-16bit.png').facts).toMatchObject({ sourceBitDepth: 16, width: 900, height: 600 });
    expect(a('sharp_16-bit-grey-alpha.png').facts).toMatchObject({ sourceBitDepth: 16, hadAlpha: true });
    expect(a('pillow_transparency.avif').facts).toMatchObject({ format: 'avif', hadAlpha: true });
    expect(a('pillow_hopper_orientation_6.webp').facts).toMatchObject({ format: 'webp', orientation: 6 });
    // Lossless JPEG (SOF3): this libjpeg-turbo decodes it; it is simply too small to train on.
    expect(a('sharp_testimgl.jpg').facts).toMatchObject({ format: 'jpeg', width: 227, height: 149 });
  });

  it.each(['pillow_truncated_jpeg.jpg', 'sharp_truncated.jpg', 'sharp_truncated.png', 'sharp_corrupt-header.jpg', 'pillow_broken.png'])('rejects %s as damaged, with the reason', (f) => {
    expect(a(f).rejection).toMatchObject({ code: 'decode_failed' });
    expect(a(f).rejection!.message).toMatch(new RegExp(`^"${f.replace('.', '\\.')}" could not be decoded: \\S`));
  });

  it('asks for a JPEG instead of a HEIC, naming the file', () => {
    for (const f of ['heif_iphone13pro_pug.heic', 'heif_truncated.heic']) {
      expect(a(f).rejection).toMatchObject({ code: 'heic_not_supported' });
      expect(a(f).rejection!.message).toContain(`"${f}"`);
      expect(a(f).rejection!.message).toContain('Convert it to JPEG');
    }
    expect(a('heif_empty.heic').rejection!.code).toBe('empty_file');
  });

  it('rejects animations and the pixel bomb', () => {
    for (const f of ['sharp_animated-loop-3.gif', 'sharp_animated-loop-3.webp', 'sharp_big-height.webp']) expect(a(f).rejection!.code).toBe('animated');
    expect(a('sharp_65536-uint32-limit.png').rejection).toMatchObject({ code: 'too_many_pixels', message: expect.stringContaining('65536 × 65536') });
  });
});

describe('a product set', () => {
  it('checks count and quality without faces', () => {
    const r = report(ids('backpack/').map((k) => facts.get(k)!), 'product');
    expect(r.faces_checked).toBe(false);
    expect(r.counts.usable).toBe(6);
    // 00.jpg (767 px) and 01.jpg (815 px) are under Flux's recommended 1024 px.
    expect(r.problems.map((p) => p.code)).toEqual(['count_below_recommended', 'item_warnings']);
    expect(r.problems[1]!.message).toBe('Photos with warnings: "00.jpg" (low resolution); "01.jpg" (low resolution).');
  });
});

describe('calibration numbers (printed for config.ts)', () => {
  it('keeps every intruder below the identity threshold and every clear member above it', () => {
    // deepface's own ground truth: img3/img12 and img8/img9 are the same women; the rest differ.
    const SAME: Record<string, string> = { 'img12.jpg': 'img3.jpg', 'img9.jpg': 'img8.jpg' };
    const person = (id: string) => {
      const [dir, file] = id.split('/') as [string, string];
      if (file.includes('biden')) return 'biden';
      return dir === 'deepface_other_identities' ? (SAME[file] ?? file) : dir;
    };
    const faces = [...facts.values()].filter((f) => f.id.startsWith('deepface') || f.id.startsWith('face_recognition') || f.id.startsWith('human_')).filter((f) => f.faces?.faces.length === 1);
    const same: number[] = [];
    const diff: number[] = [];
    for (let i = 0; i < faces.length; i++) for (let j = i + 1; j < faces.length; j++) {
      const s = cosineSimilarity(faces[i]!.faces!.faces[0]!.embedding, faces[j]!.faces!.faces[0]!.embedding);
      (person(faces[i]!.id) === person(faces[j]!.id) ? same : diff).push(s);
    }
    const q = (v: number[], p: number) => [...v].sort((x, y) => x - y)[Math.floor(p * (v.length - 1))]!.toFixed(3);
    console.log(`pairwise cosine: same person n=${same.length} min ${q(same, 0)} median ${q(same, 0.5)}; different n=${diff.length} median ${q(diff, 0.5)} max ${q(diff, 1)}`);
    expect(Number(q(same, 0.5))).toBeGreaterThan(Number(q(diff, 0.5)) + 0.15);

    // Similarity to the set reference, per mixed set: the intruder and the lowest member.
    const threshold = report([]).thresholds.identity_min_similarity!;
    const scenarios: [string, string[], string][] = [
      ...['img3.jpg', 'img8.jpg', 'img13.jpg', 'img18.jpg', 'img24.jpg', 'img34.jpg', 'img38.jpg'].map((o): [string, string[], string] => [`jolie+${o}`, ids('deepface_angelina_jolie/'), `deepface_other_identities/${o}`]),
      ['obama+biden', ids('face_recognition_obama/').filter((k) => !k.includes('biden')), 'face_recognition_obama/_different_identity_biden.jpg'],
      ['emotions_a+teen-1', ids('human_stock_emotions_a/'), 'human_stock_teen/stock-teen-1.jpg'],
      ['teen+emotions_b-1', ids('human_stock_teen/').filter((k) => !k.endsWith('-1.jpg')), 'human_stock_emotions_b/stock-emotions-b-1.jpg'],
    ];
    const lines = scenarios.map(([name, members, intruder]) => {
      const r = report([...members.map((k) => facts.get(k)!), facts.get(intruder)!]);
      const sims = members.map((k) => item(r, k).faces?.identity_similarity).filter((v): v is number => typeof v === 'number');
      const other = item(r, intruder).faces!.identity_similarity!;
      expect(other).toBeLessThan(threshold);
      expect(Math.min(...sims)).toBeGreaterThan(threshold);
      return `${name}: intruder ${other.toFixed(3)}, lowest member ${Math.min(...sims).toFixed(3)}`;
    });
    console.log(`identity similarity to the reference (threshold ${threshold}):\n  ${lines.join('\n  ')}`);
  });
});

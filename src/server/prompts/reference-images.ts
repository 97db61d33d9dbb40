import type { ReportItem } from '../datasets/images/report-schema.ts';

// Reference images for a Character Pack: the best photos by quality, covering poses.
// Deterministic: a fixed score (no set-relative normalisation), ties broken by id in
// code-unit order, no locale compare. Rules:
//   * excluded: rejected items, exact duplicates, photos whose face is unusable for a
//     reference (no face, several faces, identity outlier), repeated ids;
//   * at most one photo per near-duplicate cluster (the best one);
//   * first one photo per pose in the order frontal, left, right, up, down (best of each),
//     then the remaining slots by score.

export const REFERENCE_POSE_ORDER = ['frontal', 'left', 'right', 'up', 'down'] as const;
export type ReferencePose = (typeof REFERENCE_POSE_ORDER)[number];

export interface ReferenceCandidate {
  id: string;
  status: 'ok' | 'warn' | 'rejected';
  /** Variance of the Laplacian (quality report); null when unknown. */
  sharpness: number | null;
  exposure_ok: boolean;
  /** Face size ratio sqrt(face area / image area), 0..1; null when no face was measured. */
  face_size: number | null;
  pose: ReferencePose | null;
  exact_duplicate_of?: string | null;
  near_duplicate_cluster?: string | null;
  /** No face, several faces or an identity outlier: not a good reference. */
  face_unusable?: boolean;
}

// Saturating curves: sharpness stops mattering past ~500 (already crisp at 512 px), face
// size past 0.3 (a head-and-shoulders framing).
export function referenceScore(c: ReferenceCandidate): number {
  const sharp = c.sharpness == null ? 0 : Math.min(1, Math.log1p(Math.max(0, c.sharpness)) / Math.log1p(500));
  const face = c.face_size == null ? 0 : Math.min(1, Math.max(0, c.face_size) / 0.3);
  const exposure = c.exposure_ok ? 1 : 0;
  return 0.5 * sharp + 0.3 * face + 0.2 * exposure - (c.status === 'warn' ? 0.1 : 0);
}

const byScoreThenId = (a: { c: ReferenceCandidate; s: number }, b: { c: ReferenceCandidate; s: number }) =>
  b.s - a.s || (a.c.id < b.c.id ? -1 : a.c.id > b.c.id ? 1 : 0);

export function selectReferenceImages(items: readonly ReferenceCandidate[], max: number): string[] {
  if (!(max > 0)) return [];
  const seen = new Set<string>();
  const eligible: { c: ReferenceCandidate; s: number }[] = [];
  for (const c of items) {
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    if (c.status === 'rejected' || c.exact_duplicate_of || c.face_unusable) continue;
    eligible.push({ c, s: referenceScore(c) });
  }
  eligible.sort(byScoreThenId);

  // Keep the best of each near-duplicate cluster.
  const clusters = new Set<string>();
  const pool = eligible.filter(({ c }) => {
    if (!c.near_duplicate_cluster) return true;
    if (clusters.has(c.near_duplicate_cluster)) return false;
    clusters.add(c.near_duplicate_cluster);
    return true;
  });

  const picked: string[] = [];
  for (const pose of REFERENCE_POSE_ORDER) {
    if (picked.length >= max) break;
    const best = pool.find(({ c }) => c.pose === pose);
    if (best) picked.push(best.c.id);
  }
  for (const { c } of pool) {
    if (picked.length >= max) break;
    if (!picked.includes(c.id)) picked.push(c.id);
  }
  return picked;
}

const EXPOSURE_PROBLEMS = new Set(['too_dark', 'too_bright']);
const FACE_PROBLEMS = new Set(['no_face', 'multiple_faces', 'extra_faces', 'identity_outlier']);

/** Maps a quality-report item to a candidate. */
export function candidateFromReportItem(item: ReportItem): ReferenceCandidate {
  const codes = item.problems.map((p) => p.code as string);
  const primary = item.faces?.primary ?? null;
  return {
    id: item.id,
    status: item.status,
    sharpness: item.sharpness,
    exposure_ok: !codes.some((c) => EXPOSURE_PROBLEMS.has(c)),
    face_size: primary?.size_ratio ?? null,
    pose: primary?.pose ?? null,
    exact_duplicate_of: item.exact_duplicate_of,
    near_duplicate_cluster: item.near_duplicate_cluster,
    face_unusable: codes.some((c) => FACE_PROBLEMS.has(c)) || (item.faces != null && item.faces.count === 0),
  };
}

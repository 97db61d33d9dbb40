import { exactDuplicateGroups, nearDistance, nearDuplicateClusters } from './clusters.ts';
import { KIND_LIMITS, resolveThresholds, type BaseModelSpec, type CountLimits, type ImageKind, type Thresholds } from './config.ts';
import { identityScores } from './identity.ts';
import { checkItem, type ItemCheckContext, type PrimaryFace } from './item-checks.ts';
import { POSE_BUCKETS, type PoseBucket } from './pose.ts';
import { QUALITY_REPORT_SCHEMA_VERSION, type Problem, type ProblemCode, type QualityReport, type ReportItem } from './report-schema.ts';
import type { ItemFacts } from './schemas.ts';
import { countProblems, identityProblems, listProblem, poseProblems } from './set-checks.ts';

// Pure: the same facts give the same report, so a report can be rebuilt from stored item
// facts (e.g. after the base model changes) without decoding anything again.

export interface BuildQualityReportInput {
  kind: ImageKind;
  items: readonly ItemFacts[];
  baseModel: BaseModelSpec;
  /** Overrides of the kind's count limits (KIND_LIMITS). */
  limits?: Partial<CountLimits>;
  thresholds?: Partial<Thresholds>;
}

export interface ItemState {
  item: ItemFacts;
  problems: Problem[];
  primary: PrimaryFace | null;
  duplicateOf: string | null;
  duplicateOfName: string | null;
  cluster: string | null;
  similarity: number | null;
}

const hasBlock = (s: ItemState) => s.problems.some((p) => p.severity === 'block');
const q = (f: string) => `"${f}"`;

// Item warnings already summarised by their own set-level problem are not repeated.
const SUMMARISED_ELSEWHERE = new Set<ProblemCode>(['near_duplicate', 'identity_outlier']);

const SHORT_REASON: Partial<Record<ProblemCode, string>> = {
  heic_not_supported: 'HEIC, convert to JPEG',
  animated: 'animated',
  too_many_pixels: 'too many pixels',
  decode_failed: 'damaged or incomplete',
  decode_timeout: 'decode timed out',
  empty_file: 'empty',
  unsupported_format: 'not an image format we accept',
  format_mismatch: 'inconsistent format',
  too_small: 'too small',
  no_face: 'no face',
  multiple_faces: 'several faces',
  face_tiny: 'face too small',
  blurry: 'blurry',
  too_dark: 'too dark',
  too_bright: 'overexposed',
  below_recommended_resolution: 'low resolution',
  extra_faces: 'other faces in the background',
  face_too_small: 'small face',
  face_analysis_failed: 'face analysis failed',
};

function reasonsOf(s: ItemState, severity: 'warn' | 'block'): string {
  return s.problems
    .filter((p) => p.severity === severity && !SUMMARISED_ELSEWHERE.has(p.code))
    .map((p) => (p.code === 'exact_duplicate' ? `copy of ${q(s.duplicateOfName ?? '')}` : (SHORT_REASON[p.code] ?? p.code)))
    .join(', ');
}

function markDuplicates(states: ItemState[], th: Thresholds) {
  const decoded = states.filter((s) => s.item.facts !== null);
  const exact = exactDuplicateGroups(decoded.map((s) => ({ id: s.item.id, sha256: s.item.sha256, s })));
  for (const group of exact) {
    const [first, ...copies] = group;
    for (const c of copies) {
      c.s.duplicateOf = first!.id;
      c.s.duplicateOfName = first!.s.item.filename;
      c.s.problems.push({
        code: 'exact_duplicate',
        severity: 'block',
        message: `${q(c.s.item.filename)} is an exact copy of ${q(first!.s.item.filename)}; only one copy is used.`,
        hint: 'Remove the duplicate.',
      });
    }
  }
  // Clusters take in every decoded photo (a 240p copy of a usable frame is still shown
  // with it), but only usable members get a warning and count against `distinct`.
  const candidates = states.filter((s) => s.item.facts !== null && s.duplicateOf === null);
  const hashed = candidates.map((s) => ({ phash: s.item.facts!.phash, phashMirrored: s.item.facts!.phashMirrored, s }));
  const clusters = nearDuplicateClusters(hashed, th.nearDuplicateHamming).map((c, k) => {
    const id = `nd${k + 1}`;
    const keep = c.members.find((m) => !hasBlock(m.s)) ?? c.members[0]!;
    for (const m of c.members) {
      m.s.cluster = id;
      if (m === keep || hasBlock(m.s)) continue;
      const relation = nearDistance(m, keep).mirrored ? 'a mirrored copy of' : 'nearly identical to';
      m.s.problems.push({
        code: 'near_duplicate',
        severity: 'warn',
        message: `${q(m.s.item.filename)} is ${relation} ${q(keep.s.item.filename)} (group ${id}).`,
        hint: 'Keep the best photo of the group and replace the others with different ones: other angles, expressions, light.',
      });
    }
    return { id, members: c.members.map((m) => m.s), maxDistance: c.maxDistance };
  });
  return { exact, clusters };
}

function markIdentity(usable: ItemState[], th: Thresholds) {
  const withFace = usable.filter((s) => s.primary && s.primary.face.embedding.length > 0);
  const scores = identityScores(withFace.map((s) => s.primary!.face.embedding));
  if (!scores) return { compared: withFace.length, outliers: [] as ItemState[], checked: false };
  const outliers: ItemState[] = [];
  withFace.forEach((s, i) => {
    s.similarity = scores.similarities[i]!;
    if (s.similarity < th.identityMinSimilarity) {
      outliers.push(s);
      s.problems.push({
        code: 'identity_outlier',
        severity: 'warn',
        message: `${q(s.item.filename)} may show a different person (similarity ${s.similarity.toFixed(2)} to the rest of the set, expected at least ${th.identityMinSimilarity}).`,
        hint: 'Remove photos of anyone else. If it is the same person, replace it with a clearer, more frontal photo.',
      });
    }
  });
  return { compared: withFace.length, outliers, checked: true };
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function toReportItem(s: ItemState): ReportItem {
  const f = s.item.facts;
  const p = s.primary;
  const status = hasBlock(s) ? 'rejected' : s.problems.length > 0 ? 'warn' : 'ok';
  return {
    id: s.item.id,
    filename: s.item.filename,
    status,
    bytes: s.item.bytes,
    sha256: s.item.sha256,
    format: f?.format ?? null,
    width: f?.width ?? null,
    height: f?.height ?? null,
    orientation: f?.orientation ?? null,
    phash: f?.phash ?? null,
    sharpness: f ? Math.round(f.sharpness * 10) / 10 : null,
    exposure: f ? { mean: f.exposure.mean, shadows_clipped: f.exposure.shadowsClipped, highlights_clipped: f.exposure.highlightsClipped } : null,
    exact_duplicate_of: s.duplicateOf,
    near_duplicate_cluster: s.cluster,
    faces: s.item.faces
      ? {
          count: s.item.faces.faces.length,
          primary: p
            ? { box: p.face.box, size_ratio: p.face.sizeRatio, size_px: Math.round(p.sizePx), score: p.face.score, yaw: p.face.yaw, pitch: p.face.pitch, roll: p.face.roll, pose: p.pose }
            : null,
          identity_similarity: s.similarity,
          identity_distance: s.similarity === null ? null : 1 - s.similarity,
        }
      : null,
    problems: s.problems,
  };
}

export function buildQualityReport(input: BuildQualityReportInput): QualityReport {
  const th = resolveThresholds(input.thresholds);
  const limits: CountLimits = { ...KIND_LIMITS[input.kind], ...input.limits };
  const facesChecked = input.kind === 'identity' && input.items.some((i) => i.faces !== null);
  const ctx: ItemCheckContext = { kind: input.kind, baseModel: input.baseModel, thresholds: th, checkFaces: input.kind === 'identity' };

  const states: ItemState[] = input.items.map((item) => ({ item, ...checkItem(item, ctx), duplicateOf: null, duplicateOfName: null, cluster: null, similarity: null }));
  const { exact, clusters } = markDuplicates(states, th);
  const usable = states.filter((s) => !hasBlock(s));
  const identity = facesChecked ? markIdentity(usable, th) : null;
  const distinct = usable.length - clusters.reduce((n, c) => n + Math.max(0, c.members.filter((m) => !hasBlock(m)).length - 1), 0);

  const poseCounts = Object.fromEntries(POSE_BUCKETS.map((b) => [b, 0])) as Record<PoseBucket, number>;
  for (const s of usable) if (s.primary) poseCounts[s.primary.pose]++;

  const rejected = states.filter(hasBlock);
  const problems: Problem[] = [
    ...countProblems(input.kind, limits, states.length, usable.length, distinct),
    ...(identity ? identityProblems(identity.outliers.map((s) => ({ id: s.item.id, filename: s.item.filename })), identity.compared, th.identityOutlierBlockFraction) : []),
    ...listProblem('items_excluded', rejected.map((s) => ({ id: s.item.id, text: `${q(s.item.filename)} (${reasonsOf(s, 'block')})` }))),
    ...listProblem('exact_duplicates', exact.flatMap(([first, ...copies]) => copies.map((c) => ({ id: c.id, text: `${q(c.s.item.filename)} = ${q(first!.s.item.filename)}` })))),
    ...listProblem(
      'near_duplicates',
      clusters.filter((c) => c.members.filter((m) => !hasBlock(m)).length > 1).map((c) => ({ id: c.id, text: c.members.map((m) => q(m.item.filename)).join(', ') })),
    ),
    ...(facesChecked && usable.some((s) => s.primary) ? poseProblems(poseCounts) : []),
    ...listProblem('item_warnings', usable.filter((s) => reasonsOf(s, 'warn')).map((s) => ({ id: s.item.id, text: `${q(s.item.filename)} (${reasonsOf(s, 'warn')})` }))),
  ];
  if (identity && !identity.checked && usable.length > 0) {
    problems.push({ code: 'identity_unchecked', severity: 'warn', message: `Only ${identity.compared} photo(s) have a usable face, too few to check that they all show the same person.`, hint: 'Add more photos of the person.' });
  }
  if (input.kind === 'identity' && !facesChecked && usable.length > 0) {
    problems.push({ code: 'faces_not_checked', severity: 'warn', message: 'Faces were not analysed, so face count, pose and identity were not checked.', hint: 'Validate again with face analysis on.' });
  }
  problems.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'block' ? -1 : 1));

  const items = states.map(toReportItem);
  const verdict = problems.some((p) => p.severity === 'block') ? 'block' : problems.length > 0 || items.some((i) => i.status !== 'ok') ? 'warn' : 'pass';
  return {
    schema_version: QUALITY_REPORT_SCHEMA_VERSION,
    kind: input.kind,
    base_model: { id: input.baseModel.id, min_resolution: input.baseModel.minResolution, recommended_resolution: input.baseModel.recommendedResolution },
    faces_checked: facesChecked,
    verdict,
    reasons: problems.map((p) => p.message),
    counts: {
      total: states.length,
      usable: usable.length,
      rejected: rejected.length,
      distinct,
      limits: { min: limits.min, recommended_min: limits.recommendedMin, recommended_max: limits.recommendedMax, max: limits.max },
    },
    pose_coverage: facesChecked
      ? { counts: poseCounts, present: POSE_BUCKETS.filter((b) => poseCounts[b] > 0), missing: POSE_BUCKETS.filter((b) => poseCounts[b] === 0) }
      : null,
    exact_duplicates: exact.map((g) => ({ sha256: g[0]!.sha256, item_ids: g.map((m) => m.id) })),
    near_duplicate_clusters: clusters.map((c) => ({ id: c.id, item_ids: c.members.map((m) => m.item.id), max_distance: c.maxDistance })),
    identity: identity
      ? { method: 'trimmed_medoid_centroid', min_similarity: th.identityMinSimilarity, compared: identity.compared, outlier_ids: identity.outliers.map((s) => s.item.id) }
      : null,
    thresholds: Object.fromEntries(Object.entries(th).map(([k, v]) => [snake(k), v])),
    problems,
    items,
  };
}

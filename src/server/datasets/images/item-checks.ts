import type { BaseModelSpec, ImageKind, Thresholds } from './config.ts';
import { poseBucket, type PoseBucket } from './pose.ts';
import type { Problem } from './report-schema.ts';
import type { DetectedFace, ItemFacts } from './schemas.ts';

// Checks that need only the item itself. Cross-item checks (duplicates, identity) are in
// report.ts. Messages always quote the file name; hints say what to do.

const q = (f: string) => `"${f}"`;
const pct = (v: number) => `${Math.round(v * 100)} %`;

export interface PrimaryFace {
  face: DetectedFace;
  sizePx: number;
  pose: PoseBucket;
}

export interface ItemCheckContext {
  kind: ImageKind;
  baseModel: BaseModelSpec;
  thresholds: Thresholds;
  /** Face checks apply (identity kind with face analysis on). */
  checkFaces: boolean;
}

export interface ItemCheckResult {
  problems: Problem[];
  primary: PrimaryFace | null;
}

function qualityProblems(item: ItemFacts, ctx: ItemCheckContext): Problem[] {
  const f = item.facts!;
  const th = ctx.thresholds;
  const name = q(item.filename);
  const short = Math.min(f.width, f.height);
  const dims = `${f.width} × ${f.height}`;
  const out: Problem[] = [];
  if (short < ctx.baseModel.minResolution) {
    out.push({
      code: 'too_small',
      severity: 'block',
      message: `${name} is ${dims}; ${ctx.baseModel.id} needs at least ${ctx.baseModel.minResolution} px on the shorter side, so it will not be used.`,
      hint: 'Upload the original full-size photo, not a screenshot or a copy from a messaging app.',
    });
    return out; // enlarged, it is also soft; one clear reason is enough
  } else if (short < ctx.baseModel.recommendedResolution) {
    out.push({
      code: 'below_recommended_resolution',
      severity: 'warn',
      message: `${name} is ${dims}; ${ctx.baseModel.id} trains best from ${ctx.baseModel.recommendedResolution} px on the shorter side.`,
      hint: 'Use a higher-resolution original if you have one.',
    });
  }
  // With a face, judge the face (a sharp, lit face on a dark, smooth backdrop is fine);
  // otherwise the whole photo.
  const fq = ctx.checkFaces ? item.faceQuality : null;
  const sharpness = fq ? fq.sharpness : f.sharpness;
  const minSharpness = fq ? th.faceBlurVariance : th.blurVariance;
  const subject = fq ? `The face in ${name}` : name;
  const e = fq ? fq.exposure : f.exposure;
  const [dark, bright, clipped] = fq ? [th.faceDarkMean, th.faceBrightMean, th.faceClippedFraction] : [th.darkMean, th.brightMean, th.clippedFraction];
  if (e.mean < dark || e.shadowsClipped > clipped) {
    out.push({
      code: 'too_dark',
      severity: 'warn',
      message: `${subject} is too dark (average brightness ${pct(e.mean)}, ${pct(e.shadowsClipped)} of pixels black).`,
      hint: 'Use a well-lit photo; details lost in shadows cannot be learned.',
    });
  } else if (e.mean > bright || e.highlightsClipped > clipped) {
    out.push({
      code: 'too_bright',
      severity: 'warn',
      message: `${subject} is overexposed (average brightness ${pct(e.mean)}, ${pct(e.highlightsClipped)} of pixels blown out to white).`,
      hint: 'Use a photo without blown-out highlights (no direct sun or flash glare on the subject).',
    });
  }
  // Laplacian variance scales with contrast², so an underexposed photo also reads as soft;
  // "too dark" is then the real problem and the one worth fixing first.
  const tooDark = out.some((p) => p.code === 'too_dark');
  if (sharpness < minSharpness && !tooDark) {
    out.push({
      code: 'blurry',
      severity: 'warn',
      message: `${subject} looks blurry (sharpness ${Math.round(sharpness)}, expected at least ${minSharpness}).`,
      hint: 'Replace it with a photo that is in focus and free of motion blur.',
    });
  }
  return out;
}

function faceProblems(item: ItemFacts, ctx: ItemCheckContext): ItemCheckResult {
  const name = q(item.filename);
  const th = ctx.thresholds;
  if (item.faceError !== null) {
    return {
      primary: null,
      problems: [{ code: 'face_analysis_failed', severity: 'warn', message: `Faces in ${name} could not be analysed (${item.faceError}).`, hint: 'Validate again; if it keeps failing, replace the photo.' }],
    };
  }
  const faces = item.faces?.faces ?? [];
  if (faces.length === 0) {
    return {
      primary: null,
      problems: [{ code: 'no_face', severity: 'block', message: `No face was found in ${name}, so it will not be used.`, hint: "Every photo of an identity set must show the person's face clearly." }],
    };
  }
  const f = item.facts!;
  const [main, ...others] = faces as [DetectedFace, ...DetectedFace[]];
  const sizePx = Math.min(main.box.width * f.width, main.box.height * f.height);
  const primary: PrimaryFace = { face: main, sizePx, pose: poseBucket(main, th.poseYawDeg, th.posePitchDeg) };
  const problems: Problem[] = [];
  const rivals = others.filter((o) => o.sizeRatio >= main.sizeRatio * th.extraFaceRelativeSize);
  if (rivals.length > 0) {
    problems.push({
      code: 'multiple_faces',
      severity: 'block',
      message: `${name} shows ${rivals.length + 1} faces of similar size; it is unclear who should be learned, so it will not be used.`,
      hint: 'Crop the photo to the person alone, or replace it with a photo of them alone.',
    });
  } else if (others.length > 0) {
    problems.push({
      code: 'extra_faces',
      severity: 'warn',
      message: `${name} also shows ${others.length} smaller face${others.length > 1 ? 's' : ''} in the background.`,
      hint: 'Crop other people out if you can.',
    });
  }
  if (sizePx < th.tinyFacePx) {
    problems.push({
      code: 'face_tiny',
      severity: 'block',
      message: `The face in ${name} is only ${Math.round(sizePx)} px tall, too small to learn from, so it will not be used.`,
      hint: 'Use a closer photo, or crop around the face from a higher-resolution original.',
    });
  } else if (main.sizeRatio < th.minFaceSizeRatio || sizePx < th.minFacePx) {
    problems.push({
      code: 'face_too_small',
      severity: 'warn',
      message: `The face in ${name} is small (${pct(main.sizeRatio)} of the photo, ${Math.round(sizePx)} px).`,
      hint: 'Most photos should be head-and-shoulders; a few full-body shots are fine.',
    });
  }
  return { primary, problems };
}

export function checkItem(item: ItemFacts, ctx: ItemCheckContext): ItemCheckResult {
  if (item.rejection || !item.facts) {
    const r = item.rejection ?? { code: 'decode_failed' as const, message: `${q(item.filename)} could not be decoded.`, hint: 'Re-export it as JPEG.' };
    return { primary: null, problems: [{ code: r.code, severity: 'block', message: r.message, hint: r.hint }] };
  }
  const quality = qualityProblems(item, ctx);
  const analysed = item.faces !== null || item.faceError !== null;
  // A photo already excluded for its size gets no face findings on top (and is not analysed).
  if (!ctx.checkFaces || !analysed || quality.some((p) => p.severity === 'block')) return { primary: null, problems: quality };
  const faces = faceProblems(item, ctx);
  return { primary: faces.primary, problems: [...quality, ...faces.problems] };
}

import type { CountLimits, ImageKind } from './config.ts';
import type { PoseBucket } from './pose.ts';
import type { Problem } from './report-schema.ts';

// Set-level problems. Blocking rules (training is refused):
//   * no usable image at all, fewer usable photos than the kind's minimum, more than its
//     maximum, fewer DISTINCT photos than the minimum (near-duplicates count once);
//   * identity sets where more than `identityOutlierBlockFraction` of the faces do not
//     match the rest (the set shows more than one person).
// Everything else warns. Rejected files never block by themselves: they are excluded and
// listed, and only block through the counts.

const names = (files: readonly string[], max = 6) =>
  files.length <= max ? files.map((f) => `"${f}"`).join(', ') : `${files.slice(0, max).map((f) => `"${f}"`).join(', ')} and ${files.length - max} more`;

export function countProblems(kind: ImageKind, limits: CountLimits, total: number, usable: number, distinct: number): Problem[] {
  const range = `${limits.recommendedMin}–${limits.recommendedMax}`;
  if (total > 0 && usable === 0) {
    return [{ code: 'no_usable_images', severity: 'block', message: `None of the ${total} files can be used.`, hint: 'Fix or replace the files listed below.' }];
  }
  if (usable < limits.min) {
    return [{
      code: 'count_below_min',
      severity: 'block',
      message: `Only ${usable} usable photo${usable === 1 ? '' : 's'}; a ${kind} LoRA needs at least ${limits.min}.`,
      hint: `Add ${limits.min - usable} or more photos (${range} work best).`,
    }];
  }
  if (usable > limits.max) {
    return [{
      code: 'count_above_max',
      severity: 'block',
      message: `${usable} photos; a ${kind} set takes at most ${limits.max}.`,
      hint: `Remove ${usable - limits.max} photos, keeping the sharpest and most varied.`,
    }];
  }
  const out: Problem[] = [];
  if (distinct < limits.min) {
    out.push({
      code: 'too_few_distinct',
      severity: 'block',
      message: `Only ${distinct} of the ${usable} usable photos are distinct (the others are near-duplicates); at least ${limits.min} distinct photos are needed.`,
      hint: 'Replace near-duplicates with different photos: other angles, expressions, outfits, light and backgrounds.',
    });
  }
  if (usable < limits.recommendedMin) {
    out.push({ code: 'count_below_recommended', severity: 'warn', message: `${usable} usable photos; ${range} work best.`, hint: `Add ${limits.recommendedMin - usable} more varied photos if you can.` });
  } else if (usable > limits.recommendedMax) {
    out.push({ code: 'count_above_recommended', severity: 'warn', message: `${usable} photos; ${range} usually work best.`, hint: 'Fewer, more varied photos often train better than many similar ones.' });
  }
  return out;
}

export function poseProblems(counts: Record<PoseBucket, number>): Problem[] {
  // Frontal plus both sides is what an identity LoRA needs to turn the head; up/down are
  // reported in the coverage but their absence alone does not warn (few sets have them).
  const needed: PoseBucket[] = ['frontal', 'left', 'right'];
  const missing = needed.filter((b) => counts[b] === 0);
  if (missing.length === 0) return [];
  const present = (Object.keys(counts) as PoseBucket[]).filter((b) => counts[b] > 0).map((b) => `${counts[b]} ${b}`);
  return [{
    code: 'pose_coverage',
    severity: 'warn',
    message: `Poses: ${present.join(', ') || 'none detected'}; no photo ${missing.map((m) => (m === 'frontal' ? 'facing the camera' : `turned ${m}`)).join(' or ')}.`,
    hint: 'Add photos with the head turned to each side (and a few looking slightly up or down), not only straight at the camera.',
  }];
}

export function identityProblems(outliers: { id: string; filename: string }[], compared: number, blockFraction: number): Problem[] {
  if (outliers.length === 0) return [];
  const ids = outliers.map((o) => o.id);
  const files = names(outliers.map((o) => o.filename));
  if (outliers.length > blockFraction * compared) {
    return [{
      code: 'mixed_identities',
      severity: 'block',
      message: `${outliers.length} of ${compared} faces do not match the rest of the set; the photos seem to show more than one person: ${files}.`,
      hint: 'An identity LoRA must show one person only. Remove every photo of anyone else.',
      item_ids: ids,
    }];
  }
  return [{
    code: 'identity_outliers',
    severity: 'warn',
    message: `${outliers.length === 1 ? 'This photo' : `${outliers.length} photos`} may show someone else: ${files}.`,
    hint: 'Remove photos of other people. If it is the same person, a clearer, more frontal photo will match better.',
    item_ids: ids,
  }];
}

export function listProblem(code: 'items_excluded' | 'exact_duplicates' | 'near_duplicates' | 'item_warnings', entries: { id: string; text: string }[]): Problem[] {
  if (entries.length === 0) return [];
  const texts = entries.length <= 8 ? entries.map((e) => e.text) : [...entries.slice(0, 8).map((e) => e.text), `and ${entries.length - 8} more`];
  const what = {
    items_excluded: [`${entries.length} file${entries.length > 1 ? 's' : ''} will not be used: `, 'Replace or fix them; see each file for details.'],
    exact_duplicates: ['Exact duplicates (each used once): ', 'Remove the extra copies.'],
    near_duplicates: ['Near-duplicate photos: ', 'Keep the best of each group and add different photos instead.'],
    item_warnings: ['Photos with warnings: ', 'Replacing them will improve the result; see each file for details.'],
  }[code];
  return [{ code, severity: 'warn', message: `${what[0]}${texts.join('; ')}.`, hint: what[1]!, item_ids: entries.map((e) => e.id) }];
}

export { names as quoteNames };

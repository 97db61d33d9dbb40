// Training params = the base model's preset + the caller's overrides, checked twice: against
// the protocol's TrainingParams (a strict allow-list: what any worker accepts), then per base
// (what makes sense for it: an image LoRA has a resolution, a text LoRA a sequence length, and
// the optimizer and scheduler must be ones every trainer of this base has).
import { supportedTrainerOptions, TrainingParams } from '@lora-studio/protocol';
import type { ZodError } from 'zod';
import { textParamErrors } from '@/server/catalog/text-presets';
import type { BaseModel } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';

type Problem = { path: string; code: string; message: string };

function modalityProblems(p: TrainingParams, base: BaseModel): Problem[] {
  const out: Problem[] = [];
  const bad = (path: string, message: string) => out.push({ path: `params.${path}`, code: 'invalid_value', message });
  if (p.steps !== undefined && p.epochs !== undefined) bad('epochs', 'set steps or epochs, not both');
  if (p.rank !== undefined && p.rank > 256) bad('rank', 'rank above 256 is not a LoRA any more; use ≤ 256');
  if (base.modality === 'image') {
    if (p.resolution === undefined) bad('resolution', 'image bases need a resolution');
    else {
      if (base.minResolution && p.resolution < base.minResolution) bad('resolution', `${base.name} trains at ${base.minResolution}px or more`);
      if (p.resolution > 2048) bad('resolution', 'at most 2048px');
      if (p.resolution % 64 !== 0) bad('resolution', 'must be a multiple of 64');
    }
    if (p.max_seq_len !== undefined) bad('max_seq_len', 'max_seq_len applies to text bases only');
    if (p.batch_size !== undefined && p.batch_size > 64) bad('batch_size', 'image batches above 64 do not fit any GPU');
  } else {
    if (p.resolution !== undefined) bad('resolution', 'resolution applies to image bases only');
    if (p.caption_dropout !== undefined) bad('caption_dropout', 'caption_dropout applies to image bases only');
    if (p.max_seq_len !== undefined && base.contextLength && p.max_seq_len > base.contextLength) {
      bad('max_seq_len', `${base.name} has a context of ${base.contextLength} tokens`);
    }
    // The text ranges (catalog/text-presets.ts) are narrower than the protocol's; one message per field.
    for (const e of textParamErrors(p)) if (!out.some((o) => o.path === `params.${e.path}`)) bad(e.path, e.message);
  }
  if (p.steps === undefined && p.epochs === undefined) bad('steps', 'set steps or epochs');
  // Any of the base's trainers may lease the job, so a choice must work on all of them.
  for (const field of ['optimizer', 'scheduler'] as const) {
    const value = p[field];
    const allowed = supportedTrainerOptions(field, base.supportedBackends);
    if (value !== undefined && !allowed.includes(value) && !out.some((o) => o.path === `params.${field}`)) {
      bad(field, `${base.name}'s trainers (${base.supportedBackends.join(', ')}) have no ${field} "${value}"; choose one of ${allowed.join(', ')}`);
    }
  }
  return out;
}

/** Zod issues → problems; an unknown key gets its own entry naming it (Zod reports them at the root). */
function schemaProblems(error: ZodError): Problem[] {
  return error.issues.flatMap((i): Problem[] =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => ({ path: `params.${k}`, code: i.code, message: `unknown parameter "${k}"; allowed: ${Object.keys(TrainingParams.shape).join(', ')}` }))
      : [{ path: `params.${i.path.map(String).join('.') || '(root)'}`, code: i.code, message: i.message }],
  );
}

/**
 * Merge preset and overrides; throws 422 naming every bad field. `preset` (a text preset's
 * params) replaces the base model's own defaults when given.
 */
export function resolveParams(base: BaseModel, overrides: Record<string, unknown>, presetParams?: Record<string, unknown>): TrainingParams {
  const preset: Record<string, unknown> = { ...(presetParams ?? base.defaultParams) };
  // Choosing epochs replaces the preset's steps (and vice versa): they are two ways to say one thing.
  if ('epochs' in overrides) delete preset.steps;
  if ('steps' in overrides) delete preset.epochs;
  const merged = { ...preset, ...overrides };
  const parsed = TrainingParams.safeParse(merged);
  if (!parsed.success) {
    const details = schemaProblems(parsed.error);
    throw new ValidationError(`Training params are invalid at "${details[0]?.path}": ${details[0]?.message}.`, details);
  }
  const problems = modalityProblems(parsed.data, base);
  if (problems.length > 0) throw new ValidationError(`Training params are invalid at "${problems[0]!.path}": ${problems[0]!.message}.`, problems);
  return parsed.data;
}

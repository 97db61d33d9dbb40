// Defence in depth: a spec's params are checked with the protocol's strict TrainingParams
// before a backend is chosen or any command line is built, whatever checked them before (a
// modified control plane cannot inject an optimizer `module.Class` or an extra flag).
import { TrainingParams, type JobSpec } from '@lora-studio/protocol';
import { JobFailure } from './failure.ts';

export function paramsProblems(params: unknown): string[] {
  const parsed = TrainingParams.safeParse(params);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((i) =>
    i.code === 'unrecognized_keys'
      ? i.keys.map((k) => `params.${[...i.path, k].join('.')}: unknown parameter`)
      : [`params.${i.path.join('.') || '(root)'}: ${i.message}`],
  );
}

/** Throws a non-retryable invalid_params failure naming every bad field. */
export function assertSpecParams(spec: JobSpec): void {
  const problems = paramsProblems(spec.params);
  if (problems.length > 0) throw new JobFailure('invalid_params', `the job spec's params are refused: ${problems.join('; ')}`.slice(0, 4000));
}

// Which backend runs a spec: the one it names, else the first registered one that can.
import type { JobSpec } from '@lora-studio/protocol';
import type { TrainerBackend } from '../backends/types.ts';
import { JobFailure } from './failure.ts';

export function selectBackend(spec: JobSpec, backends: readonly TrainerBackend[]): TrainerBackend {
  if (spec.backend) {
    const named = backends.find((b) => b.id === spec.backend);
    if (!named) {
      const have = backends.map((b) => b.id).join(', ') || 'none';
      throw new JobFailure('no_backend', `this job needs the ${spec.backend} backend; this worker runs ${have}`);
    }
    const why = named.cannotRun(spec);
    if (why) throw new JobFailure('no_backend', `${spec.backend} cannot run this job here: ${why}`);
    return named;
  }
  const reasons: string[] = [];
  for (const backend of backends) {
    const why = backend.cannotRun(spec);
    if (why === null) return backend;
    reasons.push(`${backend.id}: ${why}`);
  }
  throw new JobFailure(
    'no_backend',
    `no backend on this worker can run a ${spec.modality} job on ${spec.base_model.family} (${spec.base_model.id})` +
      (reasons.length ? ` — ${reasons.join('; ')}` : ' — no backends are registered'),
  );
}

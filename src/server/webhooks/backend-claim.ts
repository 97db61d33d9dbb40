// The trainer backend is fixed when the job is handed out: by the lease (pull) or the dispatch
// (push), and stored on the job row. A worker's job.started only confirms it. A different
// claim is refused: the artifact check (a tiny stand-in is accepted only on cpu-reference) and
// the pricing ("no GPU billed" on cpu-reference) read the row, never the worker's word.
import type { WorkerEvent } from '@lora-studio/protocol';
import type { LoraJob } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';

export function backendClaimRefusal(job: LoraJob, e: WorkerEvent): ValidationError | null {
  if (e.type !== 'job.started' || e.data.backend === job.backend) return null;
  const details = { reason: 'backend_mismatch', leased_backend: job.backend, reported_backend: e.data.backend };
  if (!job.backend) return new ValidationError(`Job ${job.id} attempt ${job.attempt} has no backend fixed by a lease or dispatch; a worker cannot choose one (it reported ${e.data.backend}).`, details);
  return new ValidationError(`Job ${job.id} attempt ${job.attempt} was handed out to run on ${job.backend}; the worker reported ${e.data.backend}. Run the backend named in the job spec.`, details);
}

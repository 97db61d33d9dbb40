// Idempotency-Key for job creation: (workspace_id, idempotency_key) is unique on lora_jobs.
// Reusing a key for a DIFFERENT request is a client bug we refuse loudly (409) instead of
// silently answering with a job the caller did not ask for.
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraJobs, loraVersions } from '@/server/db/schema/index.ts';
import { ConflictError, ValidationError } from '@/server/errors';
import type { CreateJobInput } from './schemas.ts';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The Idempotency-Key header, required on POST /api/lora/jobs. */
export function readIdempotencyKey(headers: Headers): string {
  const key = headers.get('idempotency-key')?.trim();
  if (!key) {
    throw new ValidationError('Send an Idempotency-Key header (any unique string, e.g. a UUID) so a retried request cannot start a second job.', [
      { path: 'Idempotency-Key', code: 'required', message: 'header is required' },
    ]);
  }
  if (!KEY.test(key)) {
    throw new ValidationError('The Idempotency-Key header must be 1–255 visible ASCII characters.', [{ path: 'Idempotency-Key', code: 'invalid_format', message: '1–255 visible ASCII characters' }]);
  }
  return key;
}

export async function findJobByIdempotencyKey(db: DbOrTx, ws: string, key: string, input: CreateJobInput): Promise<string | null> {
  const [row] = await db
    .select({ id: loraJobs.id, modelId: loraVersions.loraModelId, datasetId: loraVersions.datasetId, base: loraVersions.trainableBaseModel })
    .from(loraJobs)
    .innerJoin(loraVersions, eq(loraVersions.id, loraJobs.loraVersionId))
    .where(and(eq(loraJobs.workspaceId, ws), eq(loraJobs.idempotencyKey, key)));
  if (!row) return null;
  if (row.modelId !== input.model_id || row.datasetId !== input.dataset_id || row.base !== input.base_model) {
    throw new ConflictError(`Idempotency-Key "${key}" was already used for a different training request (job ${row.id}). Use a new key.`, { job_id: row.id });
  }
  return row.id;
}

/** A unique-index violation (Postgres 23505), optionally of one named index. */
export function isUniqueViolation(err: unknown, constraint?: string): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const pg = e as { code?: string; constraint?: string; message?: string };
    if (pg.code === '23505') return !constraint || pg.constraint === constraint || (pg.message ?? '').includes(constraint);
  }
  return false;
}

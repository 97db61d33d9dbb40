// Which queued jobs a worker can run, as SQL: the job's modality is one the worker trains,
// one of the base's supported backends is installed on the worker, and the worker has the
// base family — or runs cpu-reference, which stands in for every family on a laptop/CI.
import type { BackendId, WorkerCapabilities } from '@lora-studio/protocol';
import { and, eq, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { baseModels, loraDatasets, loraJobs } from '@/server/db/schema/index.ts';

const textArray = (values: readonly string[]) => sql`ARRAY[${sql.join(values.map((v) => sql`${v}`), sql`, `)}]::text[]`;

export function leasableWhere(caps: WorkerCapabilities, now: Date): SQL {
  const hasCpuReference = caps.backends.includes('cpu-reference');
  const family = hasCpuReference
    ? sql`(${inArray(baseModels.family, caps.base_families)} OR ${baseModels.supportedBackends} ? 'cpu-reference')`
    : inArray(baseModels.family, caps.base_families);
  return and(
    eq(loraJobs.status, 'queued'),
    eq(loraJobs.provider, 'worker_pool'),
    or(isNull(loraJobs.nextDispatchAt), lte(loraJobs.nextDispatchAt, now)),
    inArray(loraDatasets.modality, caps.modalities),
    sql`${baseModels.supportedBackends} ?| ${textArray(caps.backends)}`,
    family,
  )!;
}

/**
 * The backend this worker should run: a real trainer for the base if it has one and has
 * the family, else cpu-reference.
 */
export function chooseBackend(caps: WorkerCapabilities, base: { family: string; supportedBackends: string[] }): BackendId | null {
  const usable = base.supportedBackends.filter((b): b is BackendId => (caps.backends as string[]).includes(b));
  const real = usable.find((b) => b !== 'cpu-reference' && (caps.base_families as string[]).includes(base.family));
  if (real) return real;
  return usable.includes('cpu-reference') ? 'cpu-reference' : null;
}

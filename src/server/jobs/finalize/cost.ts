// Compute cost of a finished attempt: GPU seconds × the configured price of the GPU fixed when
// the job was handed out — the GPU a pull worker advertised in its lease (recorded with the
// backend), or the provider's hardware; only a push worker, which advertises nothing, is
// priced from the GPU it names in job.started. A worker cannot reprice a run after leasing. CPU work costs nothing but
// is still recorded, so "spent this month" is a sum over one table.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { costRecords, jobEvents, type LoraJob } from '@/server/db/schema/index.ts';
import { newId } from '@/server/ids';
import { pricePerGpuHour } from '../config.ts';

async function gpuOf(db: DbOrTx, job: LoraJob): Promise<string | null> {
  const spec = job.specJson as { replicate?: { hardware?: string }; gpu?: string | null } | null;
  if (spec?.replicate?.hardware) return spec.replicate.hardware;
  if (spec && 'gpu' in spec) return spec.gpu ?? null;
  const [row] = await db
    .select({ gpu: sql<string | null>`${jobEvents.payload}->>'gpu'` })
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, job.id), eq(jobEvents.attempt, job.attempt), sql`${jobEvents.payload}->>'event' = 'job.started'`))
    .limit(1);
  return row?.gpu ?? null;
}

export async function recordComputeCost(db: DbOrTx, job: LoraJob, gpuSeconds: number): Promise<string> {
  const gpu = await gpuOf(db, job);
  // job.backend is the one the lease/dispatch fixed: a cpu-reference run bills no GPU, whatever it reports.
  const amount = gpuSeconds > 0 && job.backend !== 'cpu-reference' ? (gpuSeconds / 3600) * pricePerGpuHour(gpu) : 0;
  const usd = amount.toFixed(4);
  await db.insert(costRecords).values({
    id: newId('cost'),
    workspaceId: job.workspaceId,
    jobId: job.id,
    kind: 'compute',
    amountUsd: usd,
    quantity: gpuSeconds.toFixed(4),
    unit: gpu ? `gpu_seconds:${gpu.slice(0, 60)}` : 'gpu_seconds',
  });
  return usd;
}

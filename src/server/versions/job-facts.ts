// What a version's view needs from its training job: the job and attempt that made it (for
// lineage) and, for text versions, the loss curves of that final attempt (for quality).
// One query for the jobs and one for the curves, however many versions are listed.
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { jobEvents, loraJobs } from '@/server/db/schema/index.ts';
import type { LossPoint } from './quality.ts';

export interface JobFacts {
  jobId: string;
  attempt: number;
  backend: string | null;
  train: LossPoint[];
  val: LossPoint[];
}

/** By version id. `curvesFor` lists the versions whose loss curves are wanted (finished text versions). */
export async function loadJobFacts(db: DbOrTx, workspaceId: string, versionIds: string[], curvesFor: ReadonlySet<string>): Promise<Map<string, JobFacts>> {
  const out = new Map<string, JobFacts>();
  if (versionIds.length === 0) return out;
  const jobs = await db
    .select({ id: loraJobs.id, versionId: loraJobs.loraVersionId, attempt: loraJobs.attempt, backend: loraJobs.backend })
    .from(loraJobs)
    .where(and(eq(loraJobs.workspaceId, workspaceId), inArray(loraJobs.loraVersionId, versionIds)))
    .orderBy(desc(loraJobs.createdAt));
  // A version has one job (retries are new attempts of it); should there be more, the newest made it.
  for (const j of jobs) if (!out.has(j.versionId)) out.set(j.versionId, { jobId: j.id, attempt: j.attempt, backend: j.backend, train: [], val: [] });
  const wanted = [...out.entries()].filter(([v]) => curvesFor.has(v)).map(([, f]) => f);
  if (wanted.length === 0) return out;
  const byJob = new Map(wanted.map((f) => [f.jobId, f]));
  const rows = await db
    .select({
      jobId: jobEvents.jobId,
      step: sql<number | null>`(${jobEvents.payload}->>'step')::float8`,
      loss: sql<number | null>`(${jobEvents.payload}->>'loss')::float8`,
      valLoss: sql<number | null>`(${jobEvents.payload}->>'val_loss')::float8`,
    })
    .from(jobEvents)
    .innerJoin(loraJobs, and(eq(loraJobs.id, jobEvents.jobId), eq(loraJobs.attempt, jobEvents.attempt)))
    .where(and(inArray(jobEvents.jobId, [...byJob.keys()]), eq(jobEvents.type, 'metrics')))
    .orderBy(asc(jobEvents.jobId), asc(jobEvents.seq));
  for (const r of rows) {
    const f = byJob.get(r.jobId);
    if (!f || r.step === null) continue;
    const step = Number(r.step);
    if (r.loss !== null) f.train.push({ step, loss: Number(r.loss) });
    if (r.valLoss !== null) f.val.push({ step, loss: Number(r.valLoss) });
  }
  return out;
}

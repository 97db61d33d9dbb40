import { and, asc, eq, isNull, lt } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { isTextValidationRunning, startTextValidation } from './registry.ts';

/** A live validation writes updated_at at least every 30 s (progress.ts); 2 minutes of silence means its process died. */
export const TEXT_VALIDATION_STALE_MS = 2 * 60 * 1000;

/**
 * Restart text validations left in `validating` by a crashed process. Each row is claimed with
 * a conditional UPDATE (still validating, updated_at still stale → bump it): under concurrent
 * claims Postgres re-checks the condition on the row it locked, so exactly one process wins
 * and the live runner's own progress writes keep its row from ever being claimed.
 * Returns how many validations this call started.
 */
export async function resumeStaleTextValidations(db: DbOrTx, now: Date = new Date(), max = 5): Promise<number> {
  const staleBefore = new Date(now.getTime() - TEXT_VALIDATION_STALE_MS);
  const stale = and(eq(loraDatasets.modality, 'text'), eq(loraDatasets.status, 'validating'), isNull(loraDatasets.deletedAt), lt(loraDatasets.updatedAt, staleBefore));
  const candidates = await db.select({ id: loraDatasets.id }).from(loraDatasets).where(stale).orderBy(asc(loraDatasets.updatedAt)).limit(max);
  let started = 0;
  for (const { id } of candidates) {
    if (isTextValidationRunning(id)) continue;
    const claimed = await db
      .update(loraDatasets)
      .set({ updatedAt: now, validationProgress: 0 })
      .where(and(eq(loraDatasets.id, id), stale))
      .returning({ id: loraDatasets.id });
    if (claimed.length === 1 && startTextValidation(id)) started++;
  }
  return started;
}

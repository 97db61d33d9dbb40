import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import { loraJobs, loraVersions, targetPlatforms } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { characterPackKey, jobPrefix, versionPrefix } from '@/server/storage/keys';

/**
 * Delete every object of a deleted version — its weights and extra files, the Character
 * Packs built from it (they hold face photos) and its jobs' samples, checkpoints and logs —
 * then mark it purged. Deletes are idempotent, so a retry after a partial failure is safe.
 */
export async function purgeVersionObjects(ctx: ServiceContext, p: { workspaceId: string; modelId: string; versionId: string }): Promise<void> {
  const { driver } = getStorage();
  await driver.deletePrefix(versionPrefix(p));
  const platforms = await ctx.db.select({ id: targetPlatforms.id }).from(targetPlatforms);
  for (const t of platforms) await driver.delete(characterPackKey({ ...p, platform: t.id }));
  const jobs = await ctx.db.select({ id: loraJobs.id }).from(loraJobs).where(eq(loraJobs.loraVersionId, p.versionId));
  for (const j of jobs) await driver.deletePrefix(jobPrefix(p.workspaceId, j.id));
  await ctx.db.update(loraVersions).set({ purgedAt: new Date() }).where(eq(loraVersions.id, p.versionId));
}

/** For the scheduler: finish purges that failed at delete time (deleted_at set, purged_at null). */
export async function finishDeferredVersionPurges(ctx: ServiceContext, max = 20): Promise<number> {
  const rows = await ctx.db
    .select({ id: loraVersions.id, workspaceId: loraVersions.workspaceId, modelId: loraVersions.loraModelId })
    .from(loraVersions)
    .where(and(isNotNull(loraVersions.deletedAt), isNull(loraVersions.purgedAt)))
    .limit(max);
  let n = 0;
  for (const r of rows) {
    await purgeVersionObjects(ctx, { workspaceId: r.workspaceId, modelId: r.modelId, versionId: r.id }).then(
      () => n++,
      (err: unknown) => ctx.log.warn({ err, versionId: r.id }, 'version purge still failing; will retry'),
    );
  }
  return n;
}

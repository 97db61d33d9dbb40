import { and, desc, eq, isNull, type SQL } from 'drizzle-orm';
import { baseModels, loraVersions } from '@/server/db/schema/index.ts';
import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import { activeVersionIdOf } from '@/server/identity/internal';
import { getModelOrThrow } from '@/server/models/internal';
import { loadJobFacts } from './job-facts.ts';
import type { ListVersionsQuery, VersionView } from './schemas.ts';
import { toVersionView, wantsCurves } from './view.ts';

/** Versions of one LoRA, newest first. A LoRA has a handful of versions, so no pagination. */
export async function listVersions({ ctx, input }: { ctx: ServiceContext; input: ListVersionsQuery }): Promise<{ data: VersionView[] }> {
  const ws = requireWorkspace(ctx);
  const model = await getModelOrThrow(ctx.db, ws, input.model_id);
  const where: SQL[] = [eq(loraVersions.loraModelId, input.model_id), eq(loraVersions.workspaceId, ws), isNull(loraVersions.deletedAt)];
  if (input.status) where.push(eq(loraVersions.status, input.status));
  const rows = (
    await ctx.db
      .select({ version: loraVersions, base: baseModels })
      .from(loraVersions)
      .innerJoin(baseModels, eq(baseModels.id, loraVersions.trainableBaseModel))
      .where(and(...where))
      .orderBy(desc(loraVersions.number))
  ).map((r) => ({ ...r, model }));
  const facts = await loadJobFacts(
    ctx.db,
    ws,
    rows.map((r) => r.version.id),
    new Set(rows.filter(wantsCurves).map((r) => r.version.id)),
  );
  const active = await activeVersionIdOf(ctx.db, ws, actorUserId(ctx));
  return { data: rows.map((r) => toVersionView(r, active, facts.get(r.version.id))) };
}

import { and, count, eq, isNull } from 'drizzle-orm';
import type { ServiceContext } from '@/server/http/context';
import { requireWorkspace } from '@/server/http/context';
import { loraDatasets, loraJobs, loraModels, organization, plans, workspaceSettings } from '@/server/db/schema/index.ts';

export interface WorkspaceSummary {
  workspace: { id: string; name: string };
  plan: { id: string; name: string; limits: Record<string, number | null> };
  counts: { models: number; datasets: number; jobs: number };
}

export async function getWorkspaceSummary({ ctx }: { ctx: ServiceContext }): Promise<WorkspaceSummary> {
  const ws = requireWorkspace(ctx);
  const [org] = await ctx.db
    .select({ id: organization.id, name: organization.name, planId: plans.id, planName: plans.name, limits: plans.limits })
    .from(organization)
    .leftJoin(workspaceSettings, eq(workspaceSettings.workspaceId, organization.id))
    .leftJoin(plans, eq(plans.id, workspaceSettings.planId))
    .where(eq(organization.id, ws));
  const [models] = await ctx.db.select({ n: count() }).from(loraModels).where(and(eq(loraModels.workspaceId, ws), isNull(loraModels.deletedAt)));
  const [datasets] = await ctx.db.select({ n: count() }).from(loraDatasets).where(and(eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.deletedAt)));
  const [jobs] = await ctx.db.select({ n: count() }).from(loraJobs).where(eq(loraJobs.workspaceId, ws));
  return {
    workspace: { id: ws, name: org?.name ?? 'Workspace' },
    plan: { id: org?.planId ?? 'free', name: org?.planName ?? 'Free', limits: org?.limits ?? {} },
    counts: { models: models?.n ?? 0, datasets: datasets?.n ?? 0, jobs: jobs?.n ?? 0 },
  };
}

// Plan limits (STYLE.md §7): one `assertWithinLimit` with an exhaustive switch over
// LIMIT_NAMES, so a new limit cannot ship without its counter. Callers run it inside the
// transaction that creates the counted thing; the per-workspace advisory lock taken here
// serializes concurrent requests, so two of them can never both see "one left".
import { and, count, eq, gte, isNull, sql, sum } from 'drizzle-orm';
import type { LimitName } from '@/server/catalog/plans';
import type { DbOrTx } from '@/server/db';
import { auditLog, loraDatasets, loraModels, plans, workspaceSettings } from '@/server/db/schema/index.ts';
import { LimitExceededError, PaymentRequiredError } from '@/server/errors';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';

export interface PlanInfo {
  id: string;
  name: string;
  limits: Partial<Record<LimitName, number | null>>;
}

const LABELS: Record<LimitName, { label: string; upgrade: string }> = {
  training_jobs_per_month: { label: 'Training', upgrade: 'Upgrade to Pro to train LoRAs.' },
  models: { label: 'LoRAs', upgrade: 'Upgrade to create more LoRAs.' },
  datasets: { label: 'Datasets', upgrade: 'Upgrade to keep more datasets.' },
  storage_gb: { label: 'Storage', upgrade: 'Upgrade for more storage.' },
};

/** The workspace's plan; a workspace without settings is on Free. */
export async function planFor(db: DbOrTx, workspaceId: string): Promise<PlanInfo> {
  const [row] = await db
    .select({ id: plans.id, name: plans.name, limits: plans.limits })
    .from(workspaceSettings)
    .innerJoin(plans, eq(plans.id, workspaceSettings.planId))
    .where(eq(workspaceSettings.workspaceId, workspaceId));
  if (row) return row;
  const [free] = await db.select({ id: plans.id, name: plans.name, limits: plans.limits }).from(plans).where(eq(plans.id, 'free'));
  return free ?? { id: 'free', name: 'Free', limits: { training_jobs_per_month: 0 } };
}

export function startOfMonthUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}
export function startOfNextMonthUtc(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
}

/**
 * Training runs this month, counted from the audit ledger (job.create, and job.retry rows
 * marked as counting): deleting a model cascades its jobs away, but must not refund quota.
 */
async function trainingRunsThisMonth(db: DbOrTx, ws: string, now: Date): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.workspaceId, ws),
        gte(auditLog.createdAt, startOfMonthUtc(now)),
        sql`(${auditLog.action} = 'job.create' OR (${auditLog.action} = 'job.retry' AND ${auditLog.metadata}->>'counts_against_quota' = 'true'))`,
      ),
    );
  return row?.n ?? 0;
}

async function usage(db: DbOrTx, ws: string, name: LimitName, now: Date): Promise<{ used: number; resetsAt: Date | null }> {
  switch (name) {
    case 'training_jobs_per_month':
      return { used: await trainingRunsThisMonth(db, ws, now), resetsAt: startOfNextMonthUtc(now) };
    case 'models': {
      const [r] = await db.select({ n: count() }).from(loraModels).where(and(eq(loraModels.workspaceId, ws), isNull(loraModels.deletedAt)));
      return { used: r?.n ?? 0, resetsAt: null };
    }
    case 'datasets': {
      const [r] = await db.select({ n: count() }).from(loraDatasets).where(and(eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.deletedAt)));
      return { used: r?.n ?? 0, resetsAt: null };
    }
    case 'storage_gb': {
      const [r] = await db
        .select({ bytes: sum(loraDatasets.totalBytes) })
        .from(loraDatasets)
        .where(and(eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.deletedAt)));
      return { used: Number(r?.bytes ?? 0) / 1e9, resetsAt: null };
    }
    default: {
      const unreachable: never = name;
      throw new Error(`no counter for limit ${String(unreachable)}`);
    }
  }
}

/**
 * Throws 402 when the plan does not include the thing at all (limit 0) and 429 with
 * used/limit/resets_at when this period's allowance is spent. Must run in a transaction.
 */
export async function assertWithinLimit(ctx: ServiceContext, name: LimitName, now: Date = new Date()): Promise<void> {
  if (!ctx.inTransaction) throw new Error('assertWithinLimit must run inside the transaction that creates the counted row');
  const ws = requireWorkspace(ctx);
  await ctx.db.execute(sql`SELECT pg_advisory_xact_lock(727301, hashtext(${`quota:${ws}`}))`);
  const plan = await planFor(ctx.db, ws);
  const limit = plan.limits[name];
  if (limit === null || limit === undefined) return; // unlimited
  const { label, upgrade } = LABELS[name];
  if (limit === 0) {
    throw new PaymentRequiredError(
      `${label} is not included in the ${plan.name} plan. ${upgrade}`,
      { limit_name: name, plan: plan.id, limit: 0 },
    );
  }
  const { used, resetsAt } = await usage(ctx.db, ws, name, now);
  if (used < limit) return;
  const when = resetsAt ? ` It resets on ${resetsAt.toISOString().slice(0, 10)}.` : '';
  throw new LimitExceededError(
    `${label} limit reached: ${used} of ${limit} used this period on the ${plan.name} plan.${when} ${upgrade}`,
    resetsAt ? Math.max(1, Math.ceil((resetsAt.getTime() - now.getTime()) / 1000)) : undefined,
    { limit_name: name, plan: plan.id, used, limit, resets_at: resetsAt?.toISOString() ?? null },
  );
}


// Plan limits (STYLE.md §7): one `assertWithinLimit` with an exhaustive switch over
// LIMIT_NAMES, so a new limit cannot ship without its counter. Callers run it inside the
// transaction that creates the counted thing; the per-workspace advisory lock taken here
// serializes concurrent requests, so two of them can never both see "one left".
import { and, count, eq, gte, isNull, sql } from 'drizzle-orm';
import type { LimitName } from '@/server/catalog/plans';
import type { DbOrTx } from '@/server/db';
import { auditLog, loraDatasets, loraModels, plans, workspaceSettings } from '@/server/db/schema/index.ts';
import { LimitExceededError, PaymentRequiredError } from '@/server/errors';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { storedBytes } from './storage-usage.ts';

export interface PlanInfo {
  id: string;
  name: string;
  limits: Partial<Record<LimitName, number | null>>;
}

const LABELS: Record<LimitName, { label: string; upgrade: string; more: string }> = {
  training_jobs_per_month: { label: 'Training', upgrade: 'Upgrade to Pro to train LoRAs.', more: 'Upgrade to Pro to train LoRAs.' },
  models: { label: 'LoRAs', upgrade: 'Upgrade to create more LoRAs.', more: 'Delete a LoRA you no longer need, or upgrade to create more LoRAs.' },
  datasets: { label: 'Datasets', upgrade: 'Upgrade to keep more datasets.', more: 'Delete a dataset you no longer need, or upgrade to keep more datasets.' },
  storage_gb: { label: 'Storage', upgrade: 'Upgrade for more storage.', more: 'Delete datasets or LoRAs you no longer need, or upgrade for more storage.' },
};

/** Bytes per unit of `storage_gb` (decimal gigabytes, as storage is billed). */
export const BYTES_PER_GB = 1e9;

/** What the caller is about to add; see `assertWithinLimit`. */
export interface LimitRequest {
  /** In the limit's counting unit: rows for counts (default 1), bytes for `storage_gb` (default 0). */
  adding?: number;
  /**
   * `storage_gb` at commit: this dataset's announced uploads become real bytes (`adding`), so
   * what init reserved for it is not counted as well.
   */
  replacingPendingOf?: string;
}

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

/** Usage in the limit's counting unit: rows, runs, or bytes for `storage_gb`. */
async function usage(db: DbOrTx, ws: string, name: LimitName, now: Date, request: LimitRequest): Promise<{ used: number; resetsAt: Date | null }> {
  switch (name) {
    case 'training_jobs_per_month':
      return { used: await trainingRunsThisMonth(db, ws, now), resetsAt: startOfNextMonthUtc(now) };
    // Soft-deleted LoRAs and datasets free their slot at once: they can no longer be used.
    case 'models': {
      const [r] = await db.select({ n: count() }).from(loraModels).where(and(eq(loraModels.workspaceId, ws), isNull(loraModels.deletedAt)));
      return { used: r?.n ?? 0, resetsAt: null };
    }
    case 'datasets': {
      const [r] = await db.select({ n: count() }).from(loraDatasets).where(and(eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.deletedAt)));
      return { used: r?.n ?? 0, resetsAt: null };
    }
    // Bytes are freed when they leave storage (purge), not at soft delete.
    case 'storage_gb':
      return { used: await storedBytes(db, ws, now, { exceptPendingOf: request.replacingPendingOf }), resetsAt: null };
    default: {
      const unreachable: never = name;
      throw new Error(`no counter for limit ${String(unreachable)}`);
    }
  }
}

const gb = (bytes: number) => (bytes / BYTES_PER_GB).toFixed(2);

function refusal(p: { name: LimitName; plan: PlanInfo; limit: number; used: number; adding: number; resetsAt: Date | null; now: Date }): LimitExceededError {
  const { label, more } = LABELS[p.name];
  const base = { limit_name: p.name, plan: p.plan.id, resets_at: p.resetsAt?.toISOString() ?? null };
  if (p.name === 'storage_gb') {
    const limitBytes = p.limit * BYTES_PER_GB;
    const left = Math.max(0, limitBytes - p.used);
    return new LimitExceededError(
      `Storage limit reached on the ${p.plan.name} plan: ${gb(p.used)} GB of ${p.limit} GB used, ${gb(left)} GB left; this upload needs ${gb(p.adding)} GB. ${more}`,
      undefined,
      { ...base, used: p.used / BYTES_PER_GB, limit: p.limit, remaining: left / BYTES_PER_GB, used_bytes: p.used, limit_bytes: limitBytes, requested_bytes: p.adding, remaining_bytes: left },
    );
  }
  const period = p.resetsAt ? ' this period' : '';
  const when = p.resetsAt ? ` It resets on ${p.resetsAt.toISOString().slice(0, 10)}.` : '';
  const remaining = Math.max(0, p.limit - p.used);
  return new LimitExceededError(
    `${label} limit reached: ${p.used} of ${p.limit} used${period} on the ${p.plan.name} plan, ${remaining} left.${when} ${more}`,
    p.resetsAt ? Math.max(1, Math.ceil((p.resetsAt.getTime() - p.now.getTime()) / 1000)) : undefined,
    { ...base, used: p.used, limit: p.limit, remaining },
  );
}

/**
 * Throws 402 when the plan does not include the thing at all (limit 0) and 429 (used, limit,
 * what is left, resets_at) when `used + adding` would pass the limit. Must run in the
 * transaction that writes the counted thing. Lock order: a caller holding a dataset's row lock
 * may take this lock after it; nothing holding this lock waits for a dataset row.
 */
export async function assertWithinLimit(ctx: ServiceContext, name: LimitName, now: Date = new Date(), request: LimitRequest = {}): Promise<void> {
  if (!ctx.inTransaction) throw new Error('assertWithinLimit must run inside the transaction that creates the counted row');
  const ws = requireWorkspace(ctx);
  await ctx.db.execute(sql`SELECT pg_advisory_xact_lock(727301, hashtext(${`quota:${ws}`}))`);
  const plan = await planFor(ctx.db, ws);
  const limit = plan.limits[name];
  if (limit === null || limit === undefined) return; // unlimited
  if (limit === 0) {
    const { label, upgrade } = LABELS[name];
    throw new PaymentRequiredError(`${label} is not included in the ${plan.name} plan. ${upgrade}`, { limit_name: name, plan: plan.id, limit: 0 });
  }
  const adding = request.adding ?? (name === 'storage_gb' ? 0 : 1);
  const { used, resetsAt } = await usage(ctx.db, ws, name, now, request);
  const capacity = name === 'storage_gb' ? limit * BYTES_PER_GB : limit;
  if (used + adding <= capacity) return;
  throw refusal({ name, plan, limit, used, adding, resetsAt, now });
}

import { and, asc, eq, gt } from 'drizzle-orm';
import { jobEvents } from '@/server/db/schema/index.ts';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { getJobOrThrow } from './internal.ts';
import type { LogsQuery } from './schemas.ts';

interface LogPayload {
  stream?: string;
  lines?: string[];
  occurred_at?: string;
}

/**
 * Log lines of a job (all attempts), oldest first, paginated by job_events id: pass the
 * returned next_after to get what came since — the UI's "follow" is this, polled.
 */
export async function getJobLogs({ ctx, id, input }: { ctx: ServiceContext; id: string; input: LogsQuery }) {
  await getJobOrThrow(ctx.db, requireWorkspace(ctx), id);
  const rows = await ctx.db
    .select()
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, id), eq(jobEvents.type, 'log'), gt(jobEvents.id, input.after ?? 0)))
    .orderBy(asc(jobEvents.id))
    .limit(input.limit);
  const data = rows.flatMap((r) => {
    const p = r.payload as LogPayload;
    const at = p.occurred_at ?? r.createdAt.toISOString();
    return (p.lines ?? []).map((line) => ({ event_id: r.id, attempt: r.attempt, stream: p.stream ?? 'worker', line, at }));
  });
  return { data, next_after: rows.at(-1)?.id ?? input.after ?? null };
}

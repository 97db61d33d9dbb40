import { and, desc, eq, lt, or, type SQL } from 'drizzle-orm';
import { loraJobs, loraVersions } from '@/server/db/schema/index.ts';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { decodeCursor, encodeCursor } from '@/server/models/list';
import { toJobView } from './internal.ts';
import type { JobView, ListJobsQuery } from './schemas.ts';

// Newest first, keyset pagination on (created_at, id) like the models list.
export async function listJobs({ ctx, input }: { ctx: ServiceContext; input: ListJobsQuery }): Promise<{ data: JobView[]; next_cursor: string | null }> {
  const ws = requireWorkspace(ctx);
  const where: SQL[] = [eq(loraJobs.workspaceId, ws)];
  if (input.status) where.push(eq(loraJobs.status, input.status));
  if (input.model_id) where.push(eq(loraVersions.loraModelId, input.model_id));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(or(lt(loraJobs.createdAt, c.createdAt), and(eq(loraJobs.createdAt, c.createdAt), lt(loraJobs.id, c.id)))!);
  }
  const rows = await ctx.db
    .select({ job: loraJobs, version: loraVersions })
    .from(loraJobs)
    .innerJoin(loraVersions, eq(loraVersions.id, loraJobs.loraVersionId))
    .where(and(...where))
    .orderBy(desc(loraJobs.createdAt), desc(loraJobs.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const now = new Date();
  const last = page.at(-1);
  return { data: page.map((row) => toJobView(row, now)), next_cursor: rows.length > input.limit && last ? encodeCursor(last.job.createdAt, last.job.id) : null };
}

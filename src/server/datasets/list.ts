import { and, desc, eq, ilike, isNull, lt, or, type SQL } from 'drizzle-orm';
import { loraDatasets } from '@/server/db/schema/index.ts';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { decodeCursor, encodeCursor } from '@/server/models/list';
import { toDatasetView } from './internal.ts';
import type { ListDatasetsQuery } from './schemas.ts';

export async function listDatasets({ ctx, input }: { ctx: ServiceContext; input: ListDatasetsQuery }) {
  const ws = requireWorkspace(ctx);
  const where: SQL[] = [eq(loraDatasets.workspaceId, ws), isNull(loraDatasets.deletedAt)];
  if (input.model_id) where.push(eq(loraDatasets.loraModelId, input.model_id));
  if (input.modality) where.push(eq(loraDatasets.modality, input.modality));
  if (input.status) where.push(eq(loraDatasets.status, input.status));
  if (input.q) {
    // LIKE wildcards in the search are literal characters, not patterns.
    const pattern = `%${input.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(or(ilike(loraDatasets.name, pattern), eq(loraDatasets.id, input.q))!);
  }
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(or(lt(loraDatasets.createdAt, c.createdAt), and(eq(loraDatasets.createdAt, c.createdAt), lt(loraDatasets.id, c.id)))!);
  }
  const rows = await ctx.db.select().from(loraDatasets).where(and(...where)).orderBy(desc(loraDatasets.createdAt), desc(loraDatasets.id)).limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    data: await Promise.all(page.map((d) => toDatasetView(d))),
    next_cursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null,
  };
}

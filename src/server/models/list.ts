import { and, desc, eq, ilike, isNull, lt, or, type SQL } from 'drizzle-orm';
import { loraModels } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { toModelView } from './internal.ts';
import type { ListModelsQuery, ModelView } from './schemas.ts';

// Keyset pagination on (created_at, id): stable while rows are added.
export function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}
export function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [iso, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  const createdAt = new Date(iso ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new ValidationError('The cursor is not valid; use next_cursor from the previous page.');
  return { createdAt, id };
}

export async function listModels({ ctx, input }: { ctx: ServiceContext; input: ListModelsQuery }): Promise<{ data: ModelView[]; next_cursor: string | null }> {
  const ws = requireWorkspace(ctx);
  const where: SQL[] = [eq(loraModels.workspaceId, ws), isNull(loraModels.deletedAt)];
  if (input.modality) where.push(eq(loraModels.modality, input.modality));
  if (input.kind) where.push(eq(loraModels.kind, input.kind));
  if (input.q) where.push(ilike(loraModels.name, `%${input.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`));
  if (input.cursor) {
    const c = decodeCursor(input.cursor);
    where.push(or(lt(loraModels.createdAt, c.createdAt), and(eq(loraModels.createdAt, c.createdAt), lt(loraModels.id, c.id)))!);
  }
  const rows = await ctx.db
    .select()
    .from(loraModels)
    .where(and(...where))
    .orderBy(desc(loraModels.createdAt), desc(loraModels.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return { data: page.map(toModelView), next_cursor: rows.length > input.limit && last ? encodeCursor(last.createdAt, last.id) : null };
}

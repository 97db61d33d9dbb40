import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { getModelOrThrow, toModelView } from './internal.ts';
import type { ModelView } from './schemas.ts';

export async function getModel({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<ModelView> {
  return toModelView(await getModelOrThrow(ctx.db, requireWorkspace(ctx), id));
}

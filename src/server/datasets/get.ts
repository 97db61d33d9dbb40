import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { getDatasetOrThrow, itemsOf, toDatasetView } from './internal.ts';

export async function getDataset({ ctx, id }: { ctx: ServiceContext; id: string }) {
  const d = await getDatasetOrThrow(ctx.db, requireWorkspace(ctx), id);
  return toDatasetView(d, await itemsOf(ctx.db, d.id));
}

import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { getJobOrThrow, toJobDetail } from './internal.ts';
import type { JobDetail } from './schemas.ts';

export async function getJob({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<JobDetail> {
  return toJobDetail(ctx.db, await getJobOrThrow(ctx.db, requireWorkspace(ctx), id));
}

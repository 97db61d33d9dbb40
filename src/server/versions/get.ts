import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import { activeVersionIdOf } from '@/server/identity/internal';
import { getVersionOrThrow, toVersionView } from './internal.ts';
import type { VersionView } from './schemas.ts';

export async function getVersion({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<VersionView> {
  const ws = requireWorkspace(ctx);
  const row = await getVersionOrThrow(ctx.db, ws, id);
  return toVersionView(row, await activeVersionIdOf(ctx.db, ws, actorUserId(ctx)));
}

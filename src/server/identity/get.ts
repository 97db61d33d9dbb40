import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import { loadActiveIdentity, toActiveIdentityView } from './internal.ts';
import type { ActiveIdentityView } from './schemas.ts';

export async function getActiveIdentity({ ctx }: { ctx: ServiceContext }): Promise<{ active: ActiveIdentityView | null }> {
  const row = await loadActiveIdentity(ctx.db, requireWorkspace(ctx), actorUserId(ctx));
  return { active: row ? toActiveIdentityView(row) : null };
}

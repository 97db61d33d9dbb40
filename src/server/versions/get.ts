import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import { activeVersionIdOf } from '@/server/identity/internal';
import { getVersionOrThrow } from './internal.ts';
import { loadJobFacts } from './job-facts.ts';
import type { VersionView } from './schemas.ts';
import { toVersionView, wantsCurves } from './view.ts';

export async function getVersion({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<VersionView> {
  const ws = requireWorkspace(ctx);
  const row = await getVersionOrThrow(ctx.db, ws, id);
  const facts = await loadJobFacts(ctx.db, ws, [id], new Set(wantsCurves(row) ? [id] : []));
  return toVersionView(row, await activeVersionIdOf(ctx.db, ws, actorUserId(ctx)), facts.get(id));
}

import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import { apikey } from '@/server/db/schema/index.ts';
import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import type { ApiKeyList } from './schemas.ts';

function workspaceOf(metadata: string | null): string | null {
  if (!metadata) return null;
  try {
    const parsed = JSON.parse(metadata) as unknown;
    const value = typeof parsed === 'string' ? (JSON.parse(parsed) as unknown) : parsed;
    return (value as { workspaceId?: string } | null)?.workspaceId ?? null;
  } catch {
    return null;
  }
}

/** The caller's keys for the current workspace. The secret itself is never returned again. */
export async function listApiKeys({ ctx }: { ctx: ServiceContext }): Promise<z.infer<typeof ApiKeyList>> {
  const ws = requireWorkspace(ctx);
  const userId = actorUserId(ctx);
  if (!userId) return { data: [] };
  const rows = await ctx.db.select().from(apikey).where(eq(apikey.referenceId, userId)).orderBy(desc(apikey.createdAt));
  return {
    data: rows
      .filter((r) => workspaceOf(r.metadata) === ws)
      .map((r) => ({
        id: r.id,
        name: r.name,
        start: r.start,
        workspace_id: ws,
        created_at: r.createdAt.toISOString(),
        expires_at: r.expiresAt?.toISOString() ?? null,
        last_used_at: r.lastRequest?.toISOString() ?? null,
      })),
  };
}

export { workspaceOf as apiKeyWorkspaceOf };

import { z } from 'zod';
import { getAuth } from '@/server/auth/auth';
import { recordAudit } from '@/server/audit/record';
import { ForbiddenError } from '@/server/errors';
import { actorUserId, requireWorkspace, type ServiceContext } from '@/server/http/context';
import type { CreateApiKeyInput, CreatedApiKey } from './schemas.ts';

// Keys are created by a signed-in person (not by another key) for the current workspace.
export async function createApiKey({ ctx, input }: { ctx: ServiceContext; input: CreateApiKeyInput }): Promise<z.infer<typeof CreatedApiKey>> {
  if (ctx.actor.type !== 'user') throw new ForbiddenError('API keys can only be created from a signed-in session.');
  const ws = requireWorkspace(ctx);
  const auth = await getAuth();
  const created = await auth.api.createApiKey({
    body: {
      name: input.name,
      userId: actorUserId(ctx)!,
      expiresIn: input.expires_in_days ? input.expires_in_days * 86_400 : null,
      metadata: { workspaceId: ws },
    },
  });
  await recordAudit(ctx, { action: 'api_key.create', targetType: 'api_key', targetId: created.id, metadata: { name: input.name } });
  return {
    id: created.id,
    name: created.name ?? null,
    start: created.start ?? null,
    workspace_id: ws,
    created_at: new Date(created.createdAt).toISOString(),
    expires_at: created.expiresAt ? new Date(created.expiresAt).toISOString() : null,
    last_used_at: null,
    key: created.key,
  };
}

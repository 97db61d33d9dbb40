import { z } from 'zod';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { getWorkspaceSummary } from '@/server/workspaces/get-summary';

export const Me = z.object({
  actor: z.object({ type: z.enum(['user', 'apiKey']), user_id: z.string(), key_id: z.string().optional() }),
  workspace: z.object({ id: z.string(), name: z.string() }),
  plan: z.object({ id: z.string(), name: z.string() }),
});

export async function getMe({ ctx }: { ctx: ServiceContext }): Promise<z.infer<typeof Me>> {
  requireWorkspace(ctx);
  const s = await getWorkspaceSummary({ ctx });
  const a = ctx.actor;
  if (a.type !== 'user' && a.type !== 'apiKey') throw new Error('getMe needs a user or API key actor');
  return {
    actor: a.type === 'user' ? { type: 'user', user_id: a.userId } : { type: 'apiKey', user_id: a.userId, key_id: a.keyId },
    workspace: s.workspace,
    plan: { id: s.plan.id, name: s.plan.name },
  };
}

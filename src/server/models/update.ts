import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraModels } from '@/server/db/schema/index.ts';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getModelOrThrow, toModelView } from './internal.ts';
import type { ModelView, UpdateModelInput } from './schemas.ts';

export async function updateModel({ ctx, id, input }: { ctx: ServiceContext; id: string; input: UpdateModelInput }): Promise<ModelView> {
  const ws = requireWorkspace(ctx);
  return withTransaction(ctx, async (tx) => {
    await getModelOrThrow(tx.db, ws, id, { forUpdate: true });
    const [row] = await tx.db
      .update(loraModels)
      .set({
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.trigger_word !== undefined ? { triggerWord: input.trigger_word } : {}),
        updatedAt: new Date(),
      })
      .where(eq(loraModels.id, id))
      .returning();
    await recordAudit(tx, { action: 'model.update', targetType: 'lora_model', targetId: id, metadata: { fields: Object.keys(input) } });
    return toModelView(row!);
  });
}

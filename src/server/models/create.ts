import { recordAudit } from '@/server/audit/record';
import { loraModels } from '@/server/db/schema/index.ts';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { newId } from '@/server/ids';
import { assertWithinLimit } from '@/server/plans/limits';
import { generateTriggerWord, toModelView } from './internal.ts';
import type { CreateModelInput, ModelView } from './schemas.ts';

export async function createModel({ ctx, input }: { ctx: ServiceContext; input: CreateModelInput }): Promise<ModelView> {
  const ws = requireWorkspace(ctx);
  return withTransaction(ctx, async (tx) => {
    // Under the workspace's quota lock: parallel creates cannot both take the last slot.
    await assertWithinLimit(tx, 'models');
    const [row] = await tx.db
      .insert(loraModels)
      .values({
        id: newId('model'),
        workspaceId: ws,
        ownerId: actorUserId(ctx)!,
        name: input.name,
        description: input.description,
        modality: input.modality,
        kind: input.kind,
        triggerWord: input.trigger_word ?? (input.modality === 'image' ? generateTriggerWord() : null),
      })
      .returning();
    await recordAudit(tx, { action: 'model.create', targetType: 'lora_model', targetId: row!.id, metadata: { name: input.name, kind: input.kind } });
    return toModelView(row!);
  });
}

import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { targetPlatforms, userIdentityActive } from '@/server/db/schema/index.ts';
import { PreconditionFailedError, ValidationError } from '@/server/errors';
import { actorUserId, requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getVersionOrThrow } from '@/server/versions/internal';
import { clampWeight, loadActiveIdentity, toActiveIdentityView, weightRangeOf } from './internal.ts';
import type { ActivateInput, ActivateResult } from './schemas.ts';

function requireUser(ctx: ServiceContext): string {
  const userId = actorUserId(ctx);
  if (!userId) throw new PreconditionFailedError('An active identity belongs to a person; call this as a user or with their API key.');
  return userId;
}

/** Make a ready version the caller's one active identity (replacing any previous one), audited. */
export async function activateVersion({ ctx, input }: { ctx: ServiceContext; input: ActivateInput }): Promise<ActivateResult> {
  const ws = requireWorkspace(ctx);
  const userId = requireUser(ctx);
  return withTransaction(ctx, async (tx) => {
    const { version: v, model, base } = await getVersionOrThrow(tx.db, ws, input.version_id, { forUpdate: true });
    if (v.status !== 'ready') {
      throw new PreconditionFailedError(`Version ${v.number} is ${v.status}; only a ready version can be activated.`, { status: v.status, version_id: v.id });
    }
    const warnings: string[] = [];
    const range = weightRangeOf(base);
    const weight = clampWeight(input.weight, range);
    if (input.weight !== undefined && weight !== Math.round(input.weight * 100) / 100) {
      warnings.push(`Weight ${input.weight} is outside ${range.min}–${range.max} for ${base.name}; clamped to ${weight}.`);
    }
    const target = input.target_platform ?? null;
    if (target) {
      const [p] = await tx.db.select({ id: targetPlatforms.id, name: targetPlatforms.name, capabilities: targetPlatforms.capabilities }).from(targetPlatforms).where(eq(targetPlatforms.id, target));
      if (!p) throw new ValidationError(`Unknown target platform "${target}".`, [{ path: 'target_platform', message: 'not a target platform id' }]);
      const families = p.capabilities.compatible_base_families;
      if (Array.isArray(families) && !families.includes(base.family)) {
        warnings.push(`${p.name} loads ${families.join('/')} LoRAs; this version is for ${base.family}, so it gets no LoRA there.`);
      }
    }
    const now = new Date();
    const values = { workspaceId: ws, loraModelId: model.id, loraVersionId: v.id, weight, targetPlatform: target, updatedAt: now };
    await tx.db
      .insert(userIdentityActive)
      .values({ userId, ...values })
      .onConflictDoUpdate({ target: userIdentityActive.userId, set: values });
    await recordAudit(tx, {
      action: 'version.activate',
      targetType: 'lora_version',
      targetId: v.id,
      metadata: { model_id: model.id, number: v.number, weight, requested_weight: input.weight ?? null, target_platform: target },
    });
    const row = await loadActiveIdentity(tx.db, ws, userId);
    return { active: toActiveIdentityView(row!), requested_weight: input.weight ?? null, warnings };
  });
}

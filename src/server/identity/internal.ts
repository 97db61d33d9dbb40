import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { baseModels, loraModels, loraVersions, userIdentityActive, type BaseModel, type LoraModel, type LoraVersion, type UserIdentityActive } from '@/server/db/schema/index.ts';
import type { ActiveIdentityView } from './schemas.ts';

export interface ActiveRow {
  active: UserIdentityActive;
  version: LoraVersion;
  model: LoraModel;
  base: BaseModel;
}

// LLM adapters have no strength knob: they run at full strength.
const FULL_STRENGTH = { min: 1, max: 1, default: 1 };

export function weightRangeOf(base: BaseModel): { min: number; max: number; default: number } {
  return base.loraWeight ?? FULL_STRENGTH;
}

/** Clamp into the base model's range; omitted → its default. 2 decimals, like the compiler prints. */
export function clampWeight(requested: number | undefined, range: { min: number; max: number; default: number }): number {
  const w = requested === undefined ? range.default : Math.min(range.max, Math.max(range.min, requested));
  const rounded = Math.round(w * 100) / 100;
  return rounded === 0 ? 0 : rounded;
}

/**
 * The user's active identity in this workspace, only while its version is still ready and
 * neither version nor LoRA is deleted (deletes also remove the row; this is the belt to
 * those braces).
 */
export async function loadActiveIdentity(db: DbOrTx, workspaceId: string, userId: string | null): Promise<ActiveRow | null> {
  if (!userId) return null;
  const [row] = await db
    .select({ active: userIdentityActive, version: loraVersions, model: loraModels, base: baseModels })
    .from(userIdentityActive)
    .innerJoin(loraVersions, eq(loraVersions.id, userIdentityActive.loraVersionId))
    .innerJoin(loraModels, eq(loraModels.id, userIdentityActive.loraModelId))
    .innerJoin(baseModels, eq(baseModels.id, loraVersions.trainableBaseModel))
    .where(
      and(
        eq(userIdentityActive.userId, userId),
        eq(userIdentityActive.workspaceId, workspaceId),
        eq(loraVersions.status, 'ready'),
        isNull(loraVersions.deletedAt),
        isNull(loraModels.deletedAt),
      ),
    );
  return row ?? null;
}

export async function activeVersionIdOf(db: DbOrTx, workspaceId: string, userId: string | null): Promise<string | null> {
  return (await loadActiveIdentity(db, workspaceId, userId))?.version.id ?? null;
}

export function toActiveIdentityView(r: ActiveRow): ActiveIdentityView {
  return {
    version_id: r.version.id,
    version_number: r.version.number,
    model_id: r.model.id,
    model_name: r.model.name,
    kind: r.model.kind,
    trigger_word: r.model.triggerWord,
    base_model: { id: r.base.id, name: r.base.name, family: r.base.family },
    // `real` is float4: 0.8 comes back as 0.800000011920929 on some drivers.
    weight: Math.round(r.active.weight * 100) / 100,
    weight_range: weightRangeOf(r.base),
    target_platform: r.active.targetPlatform,
    updated_at: r.active.updatedAt.toISOString(),
  };
}

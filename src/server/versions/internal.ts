import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { baseModels, loraModels, loraVersions, type BaseModel, type LoraModel, type LoraVersion } from '@/server/db/schema/index.ts';
import { NotFoundError } from '@/server/errors';
import { sanitizeFilename } from '@/server/storage/keys';

/**
 * `{model}-v{n}`: the downloaded file's name without extension, and the LoRA name in prompts.
 * The model part is capped so the whole stem stays within the compiler's 64-character names.
 */
export function artifactStem(modelName: string, number: number): string {
  return sanitizeFilename(`${modelName.slice(0, 48)}-v${number}`);
}

export interface VersionRow {
  version: LoraVersion;
  model: LoraModel;
  base: BaseModel;
}

/**
 * A live version of a live LoRA in the workspace, with its model and base model, or 404.
 * Another workspace's id, a deleted version and a version of a deleted LoRA are all "not found".
 */
export async function getVersionOrThrow(db: DbOrTx, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<VersionRow> {
  const q = db
    .select({ version: loraVersions, model: loraModels, base: baseModels })
    .from(loraVersions)
    .innerJoin(loraModels, eq(loraModels.id, loraVersions.loraModelId))
    .innerJoin(baseModels, eq(baseModels.id, loraVersions.trainableBaseModel))
    .where(and(eq(loraVersions.id, id), eq(loraVersions.workspaceId, workspaceId), isNull(loraVersions.deletedAt), isNull(loraModels.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update', { of: loraVersions }) : await q;
  if (!row) throw new NotFoundError('Version', id);
  return row;
}

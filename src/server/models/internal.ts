import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraModels, type LoraModel } from '@/server/db/schema/index.ts';
import { NotFoundError } from '@/server/errors';
import { randomInt } from 'node:crypto';
import type { ModelView } from './schemas.ts';

/** Fetch a live model in the workspace or throw 404 (another workspace's id is "not found"). */
export async function getModelOrThrow(db: DbOrTx, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}): Promise<LoraModel> {
  const q = db
    .select()
    .from(loraModels)
    .where(and(eq(loraModels.id, id), eq(loraModels.workspaceId, workspaceId), isNull(loraModels.deletedAt)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  if (!row) throw new NotFoundError('LoRA', id);
  return row;
}

export function toModelView(m: LoraModel): ModelView {
  return {
    id: m.id,
    workspace_id: m.workspaceId,
    name: m.name,
    description: m.description,
    modality: m.modality,
    kind: m.kind,
    trigger_word: m.triggerWord,
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
  };
}

const CONSONANTS = 'bdfgkmpqrstvwxz';
const VOWELS = 'aeiou';

/**
 * A rare token as trigger word: consonant-heavy nonsense (e.g. "zqvor") that common
 * tokenizers split into rare pieces and that no caption already uses.
 */
export function generateTriggerWord(): string {
  const c = () => CONSONANTS[randomInt(CONSONANTS.length)]!;
  const v = () => VOWELS[randomInt(VOWELS.length)]!;
  return `${c()}${c()}${v()}${c()}${randomInt(10)}`;
}

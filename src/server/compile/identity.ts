import type { ActiveRow } from '@/server/identity/internal';
import type { ActiveIdentity } from '@/server/prompts';
import { artifactStem } from '@/server/versions/internal';

/**
 * The compiler's view of an active identity. The LoRA name is the stem of the file the
 * download route hands out (`{model}-v{n}`), so `<lora:name:w>` loads exactly the file the
 * person downloaded into their A1111/Forge/ComfyUI lora folder.
 */
export function toCompilerIdentity(r: ActiveRow): ActiveIdentity {
  return {
    model_name: artifactStem(r.model.name, r.version.number),
    trigger_word: r.model.triggerWord,
    weight: Math.round(r.active.weight * 100) / 100,
    version_id: r.version.id,
    description: r.model.description ? r.model.description.slice(0, 1000) : undefined,
    base_model_family: r.base.family,
    kind: r.model.kind,
  };
}

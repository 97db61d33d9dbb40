import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { targetPlatforms } from '@/server/db/schema/index.ts';
import { ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { PromptProfile } from '@/server/prompts';
import type { ProfileGroup, ProfileOption } from './schemas.ts';

// Profiles are the seeded target_platforms rows; `data` holds the profile JSON, parsed with
// PromptProfile so the compiler only ever sees data that meets its invariants.

export function groupOf(p: PromptProfile): ProfileGroup {
  if (p.output_modality === 'text') return 'llm';
  return p.capabilities.character_pack ? 'character_pack' : 'lora';
}

function usesOf(p: PromptProfile): ProfileOption['uses'] {
  if (p.capabilities.character_pack) return 'character_pack';
  if (p.capabilities.supports_lora_injection) return 'lora_tag';
  return p.output_modality === 'text' ? 'adapter_name' : 'lora_request';
}

export async function loadProfile(db: DbOrTx, id: string): Promise<PromptProfile> {
  const [row] = await db.select({ data: targetPlatforms.data }).from(targetPlatforms).where(eq(targetPlatforms.id, id));
  if (!row) {
    const known = await db.select({ id: targetPlatforms.id }).from(targetPlatforms).orderBy(asc(targetPlatforms.sortOrder));
    throw new ValidationError(`Unknown profile "${id}". Use one of: ${known.map((k) => k.id).join(', ')}.`, [{ path: 'profile', message: 'not a profile id' }]);
  }
  // A seeded row that no longer parses is our bug, not the caller's: let it be a 500.
  return PromptProfile.parse(row.data);
}

export async function listProfiles({ ctx }: { ctx: ServiceContext }): Promise<{ data: ProfileOption[] }> {
  const rows = await ctx.db.select({ data: targetPlatforms.data }).from(targetPlatforms).orderBy(asc(targetPlatforms.sortOrder));
  const data = rows.map((r) => {
    const p = PromptProfile.parse(r.data);
    return {
      id: p.id,
      name: p.name,
      vendor: p.vendor,
      output_modality: p.output_modality,
      group: groupOf(p),
      uses: usesOf(p),
      supports_negative_prompt: p.capabilities.supports_negative_prompt,
      compatible_base_families: p.capabilities.compatible_base_families ?? [],
      lora_weight: p.lora_weight,
      reference_images_max: p.capabilities.reference_images_max,
    };
  });
  return { data };
}

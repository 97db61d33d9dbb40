// Catalog seeds, upserted at every start so the data in code and in the database agree.
import { sql } from 'drizzle-orm';
import { BASE_MODELS } from '@/server/catalog/base-models';
import { planSeeds } from '@/server/catalog/plans';
import { TARGET_PLATFORMS } from '@/server/catalog/target-platforms';
import { baseModels, plans, targetPlatforms } from './schema/index.ts';
import type { DbOrTx } from './types.ts';

const excluded = (col: string) => sql.raw(`excluded.${col}`);

export async function seedCatalog(db: DbOrTx, options: { proJobsPerMonth?: number } = {}): Promise<void> {
  for (const p of planSeeds(options)) {
    await db
      .insert(plans)
      .values(p)
      .onConflictDoUpdate({ target: plans.id, set: { name: p.name, limits: p.limits, priceMonthlyUsd: p.priceMonthlyUsd } });
  }
  await db
    .insert(baseModels)
    .values(BASE_MODELS.map((m) => ({ ...m })))
    .onConflictDoUpdate({
      target: baseModels.id,
      set: {
        name: excluded('name'),
        modality: excluded('modality'),
        family: excluded('family'),
        revision: excluded('revision'),
        hfRepo: excluded('hf_repo'),
        license: excluded('license'),
        minResolution: excluded('min_resolution'),
        recommendedResolution: excluded('recommended_resolution'),
        contextLength: excluded('context_length'),
        defaultParams: excluded('default_params'),
        supportedBackends: excluded('supported_backends'),
        throughput: excluded('throughput'),
        loraWeight: excluded('lora_weight'),
        sortOrder: excluded('sort_order'),
      },
    });
  await db
    .insert(targetPlatforms)
    .values(
      TARGET_PLATFORMS.map((p) => ({
        id: p.id,
        name: p.name,
        vendor: p.vendor,
        outputModality: p.output_modality,
        basePrompt: p.base_prompt,
        preferredOrder: [...p.preferred_order],
        capabilities: { ...p.capabilities } as Record<string, unknown>,
        recommendedParams: { ...p.recommended_params } as Record<string, unknown>,
        usageInstructions: p.usage_instructions,
        loraWeight: p.lora_weight ?? null,
        data: JSON.parse(JSON.stringify(p)) as Record<string, unknown>,
        sortOrder: p.sort_order,
      })),
    )
    .onConflictDoUpdate({
      target: targetPlatforms.id,
      set: {
        name: excluded('name'),
        vendor: excluded('vendor'),
        outputModality: excluded('output_modality'),
        basePrompt: excluded('base_prompt'),
        preferredOrder: excluded('preferred_order'),
        capabilities: excluded('capabilities'),
        recommendedParams: excluded('recommended_params'),
        usageInstructions: excluded('usage_instructions'),
        loraWeight: excluded('lora_weight'),
        data: excluded('data'),
        sortOrder: excluded('sort_order'),
      },
    });
}

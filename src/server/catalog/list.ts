import { and, asc, eq, ne } from 'drizzle-orm';
import { baseModels, targetPlatforms } from '@/server/db/schema/index.ts';
import type { ServiceContext } from '@/server/http/context';

// The two catalogs the LoRA page offers, kept apart on purpose: a trainable base model is
// what we train on; a target platform is where the prompts go. The UI shows two separate
// dropdowns and never one mixed list. Global data: no workspace scoping.

export interface BaseModelOption {
  id: string;
  name: string;
  family: string;
  license: string | null;
  min_resolution: number | null;
  recommended_resolution: number | null;
  /** Text bases: context length in tokens (validation checks conversation lengths against it). */
  context_length: number | null;
  /** The training preset (params) jobs start from; overrides are layered on top. */
  default_params: Record<string, unknown>;
  /** Planning figures: image = seconds per step at 1024 px, batch 1, by GPU class. */
  throughput: Record<string, number>;
}

export interface TargetPlatformOption {
  id: string;
  name: string;
  vendor: string;
  output_modality: string;
  /** How the LoRA reaches the platform: a `<lora:…>` tag, a structured request, or a Character Pack (Sora/Veo/Grok). */
  uses: 'lora_tag' | 'lora_request' | 'character_pack';
  /** Base families the platform can load a LoRA of; empty for Character Pack platforms. */
  compatible_base_families: string[];
}

export interface Catalog {
  base_models: BaseModelOption[];
  target_platforms: TargetPlatformOption[];
}

function usesOf(caps: Record<string, unknown>): TargetPlatformOption['uses'] {
  if (caps.supports_lora_injection === true) return 'lora_tag';
  if (caps.character_pack === true) return 'character_pack';
  return 'lora_request';
}

/** Enabled base models of one modality and the target platforms that take its output. */
export async function listCatalog({ ctx, input }: { ctx: ServiceContext; input: { modality: 'image' | 'text' } }): Promise<Catalog> {
  const bases = await ctx.db
    .select()
    .from(baseModels)
    .where(and(eq(baseModels.modality, input.modality), eq(baseModels.enabled, true)))
    .orderBy(asc(baseModels.sortOrder));
  const platforms = await ctx.db
    .select()
    .from(targetPlatforms)
    .where(input.modality === 'image' ? ne(targetPlatforms.outputModality, 'text') : eq(targetPlatforms.outputModality, 'text'))
    .orderBy(asc(targetPlatforms.sortOrder));
  return {
    base_models: bases.map((b) => ({
      id: b.id,
      name: b.name,
      family: b.family,
      license: b.license,
      min_resolution: b.minResolution,
      recommended_resolution: b.recommendedResolution,
      context_length: b.contextLength,
      default_params: b.defaultParams,
      throughput: Object.fromEntries(Object.entries(b.throughput).filter((e): e is [string, number] => typeof e[1] === 'number')),
    })),
    target_platforms: platforms.map((p) => ({
      id: p.id,
      name: p.name,
      vendor: p.vendor,
      output_modality: p.outputModality,
      uses: usesOf(p.capabilities),
      compatible_base_families: Array.isArray(p.capabilities.compatible_base_families) ? (p.capabilities.compatible_base_families as string[]) : [],
    })),
  };
}

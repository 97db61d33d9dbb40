import { z } from 'zod';
import { CompiledPrompt, CompileInput } from '@/server/prompts';

// The compile request carries inputs only. `.strict()` refuses unknown keys, so a client
// that sends a `final` (or any edited output) back gets a 422 instead of silently having it
// ignored: users change inputs, never the output.
export const CompileApiInput = z
  .object({
    profile: z.string().min(1).max(100).describe('Prompt profile = target platform id (GET /api/lora/compile/profiles), e.g. sdxl, flux-replicate, sora-2.'),
    scene: CompileInput.shape.scene,
    style: CompileInput.shape.style,
    negative: CompileInput.shape.negative,
  })
  .strict()
  .describe("Compile a prompt for a platform with the caller's active identity. The final prompt is never an input.");
export type CompileApiInput = z.infer<typeof CompileApiInput>;

export const ProfileGroup = z.enum(['lora', 'character_pack', 'llm']).describe('LoRA pipelines, Character Pack platforms, LLM serving.');
export type ProfileGroup = z.infer<typeof ProfileGroup>;

export const ProfileOption = z.object({
  id: z.string(),
  name: z.string(),
  vendor: z.string(),
  output_modality: z.string(),
  group: ProfileGroup,
  uses: z.enum(['lora_tag', 'lora_request', 'adapter_name', 'character_pack']).describe('How the active LoRA reaches the platform.'),
  supports_negative_prompt: z.boolean(),
  compatible_base_families: z.array(z.string()),
  lora_weight: z.object({ min: z.number(), max: z.number(), default: z.number() }).nullable(),
  reference_images_max: z.number().int(),
});
export type ProfileOption = z.infer<typeof ProfileOption>;
export const ProfileList = z.object({ data: z.array(ProfileOption) });

export const ReferenceImage = z
  .object({
    item_id: z.string(),
    filename: z.string(),
    pose: z.string().nullable().describe('frontal | left | right | up | down, when a face was measured.'),
  })
  .describe('A dataset photo chosen as a Character Pack reference (by quality and pose coverage).');
export type ReferenceImage = z.infer<typeof ReferenceImage>;

export const CompileIdentity = z
  .object({ version_id: z.string(), version_number: z.number().int(), model_id: z.string(), model_name: z.string(), weight: z.number() })
  .describe('The active identity the prompt was compiled with.');

export const CompileResult = CompiledPrompt.extend({
  identity: CompileIdentity.nullable(),
  reference_images: z.array(ReferenceImage).describe('Character Pack platforms: the photos the pack will carry, best first. Empty elsewhere.'),
}).describe('Compiled prompt, its ordered blocks and warnings. Same inputs → byte-identical output (except the signed weights URL of flux-replicate).');
export type CompileResult = z.infer<typeof CompileResult>;

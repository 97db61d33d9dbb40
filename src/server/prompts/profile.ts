import { z } from 'zod';

// A prompt profile is the compiler's view of a target platform (catalog/target-platforms.ts
// seeds them; the `target_platforms.data` column stores the same JSON). Parse untrusted or
// stored profiles with `PromptProfile` before compiling: the refinements below are the
// invariants the compiler relies on.

export const BLOCK_IDS = [
  'base_prompt',
  'system_prompt_core',
  'lora_block',
  'identity_description',
  'user_content',
  'style',
  'negative',
] as const;
export const BlockId = z.enum(BLOCK_IDS).describe('A prompt block the compiler can place.');
export type BlockId = z.infer<typeof BlockId>;

export const StructuredRequestKind = z
  .enum(['replicate-flux', 'vllm', 'lorax'])
  .describe('The profile output is a request for this endpoint, not only a prompt.');
export type StructuredRequestKind = z.infer<typeof StructuredRequestKind>;

export const LoraWeightRange = z
  .object({
    min: z.number(),
    max: z.number(),
    default: z.number(),
  })
  .refine((w) => w.min <= w.default && w.default <= w.max, 'Need min ≤ default ≤ max.')
  .describe('Allowed LoRA weight on this platform; the compiler clamps into it.');
export type LoraWeightRange = z.infer<typeof LoraWeightRange>;

export const PlatformCapabilities = z
  .object({
    supports_lora_injection: z.boolean().describe('The prompt may carry a `<lora:name:weight>` tag.'),
    character_pack: z.boolean().describe('Never trainable: identity goes in words + reference images.'),
    structured_request: StructuredRequestKind.nullable().optional(),
    max_prompt_chars: z.number().int().min(200).max(100_000).describe('House limit for the final prompt, in code points.'),
    aspect_ratios: z.array(z.string().min(1)),
    durations_seconds: z.array(z.number().positive()).optional(),
    resolutions: z.array(z.string().min(1)).optional(),
    reference_images_max: z.number().int().min(0).max(10),
    supports_negative_prompt: z.boolean().describe('The platform has a separate negative-prompt field.'),
    generates_audio: z.boolean().optional(),
    compatible_base_families: z
      .array(z.string().min(1))
      .optional()
      .describe('Base-model families whose LoRAs this platform can load; absent = not applicable.'),
  })
  .describe('What the platform can do; the compiler decides block by block from these.');
export type PlatformCapabilities = z.infer<typeof PlatformCapabilities>;

export const PromptProfile = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]{0,62}$/).describe('Slug, e.g. "sdxl", "sora-2".'),
    name: z.string().min(1),
    vendor: z.string().min(1),
    output_modality: z.enum(['video', 'image', 'text']),
    base_prompt: z.string().trim().min(1).describe('House style for the platform; required.'),
    preferred_order: z.array(BlockId).min(2).describe('Block order of the final prompt.'),
    capabilities: PlatformCapabilities,
    recommended_params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    usage_instructions: z.string().min(1),
    lora_weight: LoraWeightRange.nullable(),
  })
  .superRefine((p, ctx) => {
    const order = p.preferred_order;
    if (new Set(order).size !== order.length) ctx.addIssue({ code: 'custom', message: 'preferred_order has duplicates.', path: ['preferred_order'] });
    for (const required of ['base_prompt', 'user_content'] as const) {
      if (!order.includes(required)) ctx.addIssue({ code: 'custom', message: `preferred_order must include ${required}.`, path: ['preferred_order'] });
    }
    const caps = p.capabilities;
    // A Character Pack platform never carries a LoRA tag, whatever else the data says.
    if (caps.character_pack && caps.supports_lora_injection) {
      ctx.addIssue({ code: 'custom', message: 'A character-pack platform cannot support LoRA injection.', path: ['capabilities'] });
    }
    if (caps.supports_lora_injection && !p.lora_weight) {
      ctx.addIssue({ code: 'custom', message: 'LoRA injection needs a lora_weight range.', path: ['lora_weight'] });
    }
    if (caps.supports_negative_prompt && order.includes('negative')) {
      ctx.addIssue({ code: 'custom', message: 'With a negative-prompt field, "negative" is not an inline block.', path: ['preferred_order'] });
    }
  })
  .describe('A target platform as the prompt compiler sees it.');
export type PromptProfile = z.infer<typeof PromptProfile>;

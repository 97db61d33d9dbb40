import { z } from 'zod';
import { BlockId, PromptProfile } from './profile.ts';

// Inputs and outputs of the compiler, shared with the compile route and the OpenAPI
// registry. The request carries inputs only: there is deliberately no field for a final
// prompt, so an edited output can never be fed back in.

export const MAX_SCENE_CHARS = 8000;

export const ActiveIdentity = z
  .object({
    model_name: z.string().max(512).describe('Name the LoRA is loaded by on the target (A1111: the file name without extension; vLLM/LoRAX: the adapter name). Sanitised before use.'),
    trigger_word: z.string().max(512).nullable().describe('Token the LoRA was trained on; sanitised, omitted when nothing usable remains.'),
    weight: z.number().describe('Requested LoRA weight; clamped to the platform range.'),
    version_id: z.string().min(1).describe('The active lora_versions id (ver_…).'),
    description: z.string().max(1000).optional().describe('Words describing the subject, used on Character Pack platforms instead of the trigger word.'),
    base_model_family: z.string().min(1).describe('Family of the trainable base the LoRA was trained on: flux, sdxl, llama, qwen, mistral.'),
    kind: z.enum(['identity', 'style', 'product', 'chat']).optional().describe('What the LoRA captures; shapes the words-only description.'),
  })
  .describe("The user's active LoRA version, as the compiler needs it.");
export type ActiveIdentity = z.infer<typeof ActiveIdentity>;

export const CompileInput = z
  .object({
    scene: z.string().max(MAX_SCENE_CHARS).describe('What should happen / be shown. Angle-bracket tags are removed.'),
    style: z.string().max(1000).optional().describe('Optional style words appended as their own block.'),
    negative: z.string().max(2000).optional().describe('What to avoid: a negative-prompt field where the platform has one, else an inline "Avoid:" block.'),
  })
  .describe('User-editable inputs of a compile. The final prompt itself is never an input.');
export type CompileInput = z.infer<typeof CompileInput>;

export const CompileRequest = z.object({
  profile: PromptProfile,
  systemPromptCore: z.string().max(8000).describe('SYSTEM_PROMPT_CORE from config.'),
  identity: ActiveIdentity.nullable(),
  input: CompileInput,
});
export type CompileRequest = z.infer<typeof CompileRequest>;

export const BlockSource = z.enum(['profile', 'config', 'identity', 'user']).describe('Where the block text came from.');

export const PromptBlock = z
  .object({
    id: BlockId,
    label: z.string(),
    text: z.string().describe('Exactly the text this block contributes to the final prompt.'),
    source: BlockSource,
  })
  .describe('One ordered part of the final prompt.');
export type PromptBlock = z.infer<typeof PromptBlock>;

export const CharacterPackContent = z
  .object({
    platform: z.object({ id: z.string(), name: z.string(), vendor: z.string(), output_modality: z.string() }),
    final_prompt: z.string(),
    negative_prompt: z.string().nullable(),
    usage_instructions: z.string(),
    recommended_params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    reference_image_slots: z.number().int().min(0).describe('How many reference images the service should attach.'),
    notes: z.array(z.string()),
  })
  .describe('Everything a Character Pack contains except the images and the archive.');
export type CharacterPackContent = z.infer<typeof CharacterPackContent>;

export const CompiledPrompt = z
  .object({
    profile_id: z.string(),
    final: z.string().describe('Blocks joined by a blank line. Read-only: not accepted back as input.'),
    blocks: z.array(PromptBlock),
    lora_tag: z.string().nullable().describe('The `<lora:name:weight>` tag when one was injected.'),
    trigger_word: z.string().nullable(),
    negative_prompt: z.string().nullable().describe('For platforms with a separate negative field.'),
    warnings: z.array(z.string()),
    structured_request: z.record(z.string(), z.unknown()).optional(),
    character_pack: CharacterPackContent.optional(),
  })
  .describe('A compiled prompt with its provenance.');
export type CompiledPrompt = z.infer<typeof CompiledPrompt>;

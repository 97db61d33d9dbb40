import { z } from 'zod';
import { CompileApiInput } from '@/server/compile/schemas';

export const PackInput = CompileApiInput.describe(
  'Build a Character Pack (Sora, Veo, Grok) from the same inputs as a compile. GET takes them as query parameters, POST as a JSON body.',
);
export type PackInput = z.infer<typeof PackInput>;

export const PackImage = z.object({
  file: z.string().describe('Path inside the zip, e.g. images/01-frontal.jpg.'),
  sha256: z.string(),
  bytes: z.number().int(),
  width: z.number().int(),
  height: z.number().int(),
  pose: z.string().nullable(),
  source_item_id: z.string().describe('The dataset photo it was made from.'),
});
export type PackImage = z.infer<typeof PackImage>;

export const PackManifest = z
  .object({
    schema_version: z.literal(1),
    kind: z.literal('character_pack'),
    platform: z.object({ id: z.string(), name: z.string(), vendor: z.string(), output_modality: z.string() }),
    lora: z.object({ model_id: z.string(), model_name: z.string(), version_id: z.string(), version_number: z.number().int() }),
    files: z.object({ prompt: z.string(), negative_prompt: z.string().nullable(), readme: z.string() }),
    images: z.array(PackImage).describe('Exactly the images in the zip, in order.'),
    recommended_params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    notes: z.array(z.string()),
  })
  .describe('manifest.json of a Character Pack zip.');
export type PackManifest = z.infer<typeof PackManifest>;

export const PackLink = z
  .object({
    url: z.string().describe('Short-lived signed GET URL of the zip.'),
    expires_at: z.string(),
    filename: z.string(),
    bytes: z.number().int(),
    sha256: z.string(),
    manifest: PackManifest,
    warnings: z.array(z.string()),
  })
  .describe('A built Character Pack and where to download it.');
export type PackLink = z.infer<typeof PackLink>;

import { z } from 'zod';

export const ModelKind = z.enum(['identity', 'style', 'product', 'chat']);
export const Modality = z.enum(['image', 'text']);

export const TriggerWord = z
  .string()
  .trim()
  .min(2)
  .max(32)
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'use letters, digits, "_" or "-", starting with a letter')
  .describe('The token that summons the LoRA in prompts. A rare token is generated when omitted.');

export const CreateModelInput = z
  .object({
    name: z.string().trim().min(1).max(80).describe('A name for the LoRA, e.g. "Ada portrait".'),
    description: z.string().trim().max(2000).default('').describe('Optional notes.'),
    modality: Modality.default('image').describe('"image" for photo LoRAs, "text" for chat LoRAs.'),
    kind: ModelKind.default('identity').describe('identity|style|product for images; chat for text.'),
    trigger_word: TriggerWord.optional(),
  })
  .refine((m) => (m.modality === 'text') === (m.kind === 'chat'), {
    message: 'kind "chat" goes with modality "text"; identity, style and product go with "image"',
    path: ['kind'],
  });
export type CreateModelInput = z.infer<typeof CreateModelInput>;

export const UpdateModelInput = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    description: z.string().trim().max(2000).optional(),
    trigger_word: TriggerWord.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'send at least one of name, description, trigger_word' });
export type UpdateModelInput = z.infer<typeof UpdateModelInput>;

export const ListModelsQuery = z.object({
  modality: Modality.optional(),
  kind: ModelKind.optional(),
  q: z.string().trim().max(80).optional().describe('Search in names.'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().optional().describe('The next_cursor of the previous page.'),
});
export type ListModelsQuery = z.infer<typeof ListModelsQuery>;

export const ModelView = z.object({
  id: z.string(),
  workspace_id: z.string(),
  name: z.string(),
  description: z.string(),
  modality: Modality,
  kind: ModelKind,
  trigger_word: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ModelView = z.infer<typeof ModelView>;
export const ModelList = z.object({ data: z.array(ModelView), next_cursor: z.string().nullable() });

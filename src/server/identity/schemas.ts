import { z } from 'zod';

export const ActivateInput = z
  .object({
    version_id: z
      .string()
      .regex(/^ver_[a-z2-7]{1,64}$/, 'expected a version id (ver_…)')
      .describe('A ready version of one of your LoRAs.'),
    weight: z
      .number()
      .finite()
      .optional()
      .describe("LoRA strength. Clamped to the base model's range (SDXL and Flux: 0–1.5); the base model's default when omitted."),
    target_platform: z
      .string()
      .min(1)
      .max(100)
      .nullable()
      .optional()
      .describe('Where you mostly compile for (a target platform id such as sdxl or sora-2); used as the default profile.'),
  })
  .describe('Make a version your active identity: every prompt you compile uses it.');
export type ActivateInput = z.infer<typeof ActivateInput>;

export const WeightRange = z.object({ min: z.number(), max: z.number(), default: z.number() });

export const ActiveIdentityView = z
  .object({
    version_id: z.string(),
    version_number: z.number().int(),
    model_id: z.string(),
    model_name: z.string(),
    kind: z.enum(['identity', 'style', 'product', 'chat']),
    trigger_word: z.string().nullable(),
    base_model: z.object({ id: z.string(), name: z.string(), family: z.string() }),
    weight: z.number().describe('The stored weight, already clamped.'),
    weight_range: WeightRange.describe("The base model's LoRA weight range."),
    target_platform: z.string().nullable(),
    updated_at: z.string(),
  })
  .describe("The caller's active LoRA version.");
export type ActiveIdentityView = z.infer<typeof ActiveIdentityView>;

export const ActiveIdentityResponse = z.object({ active: ActiveIdentityView.nullable() });

export const ActivateResult = z.object({
  active: ActiveIdentityView,
  requested_weight: z.number().nullable().describe('The weight sent, before clamping; null when omitted.'),
  warnings: z.array(z.string()).describe('E.g. the weight was clamped, or the target cannot load this LoRA.'),
});
export type ActivateResult = z.infer<typeof ActivateResult>;

import { z } from 'zod';
import { API_KEY_NAME_MAX_LENGTH } from '@/server/auth/api-key-limits';

export const CreateApiKeyInput = z.object({
  name: z.string().trim().min(1).max(API_KEY_NAME_MAX_LENGTH).describe('A label to recognise the key by, e.g. "prompt-tool production".'),
  expires_in_days: z.number().int().min(1).max(365).optional().describe('Days until the key expires; never when omitted.'),
});
export type CreateApiKeyInput = z.infer<typeof CreateApiKeyInput>;

export const ApiKeySummary = z.object({
  id: z.string(),
  name: z.string().nullable(),
  start: z.string().nullable().describe('The first characters of the key, to recognise it.'),
  workspace_id: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  last_used_at: z.string().nullable(),
});
export const CreatedApiKey = ApiKeySummary.extend({ key: z.string().describe('The secret key. Shown once; store it now.') });
export const ApiKeyList = z.object({ data: z.array(ApiKeySummary) });
export const ApiKeyIdParams = z.object({ id: z.string().min(1) });

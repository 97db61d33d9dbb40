import { apiRoute } from '@/server/http/route';
import { activateVersion } from '@/server/identity/activate';
import { deactivateIdentity } from '@/server/identity/deactivate';
import { getActiveIdentity } from '@/server/identity/get';
import { ActivateInput, ActivateResult, ActiveIdentityResponse } from '@/server/identity/schemas';

// GET /api/lora/activate — the caller's active identity, or { active: null }
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getActiveIdentity', summary: 'The active identity ({ active: null } when none)', tag: 'Prompts' }, output: ActiveIdentityResponse, handler: ({ ctx }) => getActiveIdentity({ ctx }) });

// POST /api/lora/activate — make a ready version the caller's active identity (weight clamped)
export const POST = apiRoute({ auth: 'user', doc: { operationId: 'activateVersion', summary: 'Activate a ready version (weight clamped to the base model\'s range)', tag: 'Prompts', errors: [409] }, input: ActivateInput, output: ActivateResult, rateLimit: 'api', handler: ({ ctx, input }) => activateVersion({ ctx, input }) });

// DELETE /api/lora/activate — clear the active identity (idempotent)
export const DELETE = apiRoute({ auth: 'user', doc: { operationId: 'deactivateIdentity', summary: 'Clear the active identity', tag: 'Prompts' }, rateLimit: 'api', handler: ({ ctx }) => deactivateIdentity({ ctx }) });

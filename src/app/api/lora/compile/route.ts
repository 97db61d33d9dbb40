import { compileUserPrompt } from '@/server/compile/compile';
import { CompileApiInput, CompileResult } from '@/server/compile/schemas';
import { apiRoute } from '@/server/http/route';

// POST /api/lora/compile — compile a prompt for a profile with the caller's active identity
export const POST = apiRoute({ auth: 'user', input: CompileApiInput, output: CompileResult, rateLimit: 'api', handler: ({ ctx, input }) => compileUserPrompt({ ctx, input }) });

import { compileUserPrompt } from '@/server/compile/compile';
import { CompileApiInput, CompileResult } from '@/server/compile/schemas';
import { apiRoute } from '@/server/http/route';

// POST /api/lora/compile — compile a prompt for a profile with the caller's active identity
export const POST = apiRoute({ auth: 'user', doc: { operationId: 'compilePrompt', summary: 'Compile a prompt: final text, ordered blocks, warnings (inputs only; the final prompt is never accepted)', tag: 'Prompts' }, input: CompileApiInput, output: CompileResult, rateLimit: 'api', handler: ({ ctx, input }) => compileUserPrompt({ ctx, input }) });

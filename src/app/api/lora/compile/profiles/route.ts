import { listProfiles } from '@/server/compile/profiles';
import { ProfileList } from '@/server/compile/schemas';
import { apiRoute } from '@/server/http/route';

// GET /api/lora/compile/profiles — prompt profiles, grouped (LoRA pipelines, Character Packs, LLM serving)
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'listProfiles', summary: 'Prompt profiles (target platforms), grouped', tag: 'Prompts' }, output: ProfileList, handler: ({ ctx }) => listProfiles({ ctx }) });

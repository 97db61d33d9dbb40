import { apiRoute } from '@/server/http/route';
import { exportCharacterPack } from '@/server/packs/export';
import { PackInput, PackLink } from '@/server/packs/schemas';

// GET /api/lora/packs?profile=&scene= — build a Character Pack zip and return its signed link
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getCharacterPack', summary: 'Build a Character Pack zip (Sora, Veo, Grok) and get its signed link', tag: 'Prompts', errors: [409] }, input: PackInput, output: PackLink, rateLimit: 'download', handler: ({ ctx, input }) => exportCharacterPack({ ctx, input }) });

// POST /api/lora/packs — the same with a JSON body
export const POST = apiRoute({ auth: 'user', doc: { operationId: 'createCharacterPack', summary: 'Build a Character Pack zip (JSON body)', tag: 'Prompts', errors: [409] }, input: PackInput, output: PackLink, rateLimit: 'download', handler: ({ ctx, input }) => exportCharacterPack({ ctx, input }) });

import { apiRoute } from '@/server/http/route';
import { deleteVersion } from '@/server/versions/delete';
import { getVersion } from '@/server/versions/get';
import { DeletedVersion, VersionView } from '@/server/versions/schemas';

// GET /api/lora/versions/:id — one version
export const GET = apiRoute({ auth: 'user', output: VersionView, handler: ({ ctx, params }) => getVersion({ ctx, id: params.id! }) });

// DELETE /api/lora/versions/:id — soft delete, then purge its weights, packs and job outputs
export const DELETE = apiRoute({ auth: 'user', rateLimit: 'api', output: DeletedVersion, handler: ({ ctx, params }) => deleteVersion({ ctx, id: params.id! }) });

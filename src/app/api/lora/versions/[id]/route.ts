import { apiRoute } from '@/server/http/route';
import { deleteVersion } from '@/server/versions/delete';
import { getVersion } from '@/server/versions/get';
import { DeletedVersion, VersionView } from '@/server/versions/schemas';

// GET /api/lora/versions/:id — one version
export const GET = apiRoute({ auth: 'user', doc: { operationId: 'getVersion', summary: 'One version', tag: 'Versions' }, output: VersionView, handler: ({ ctx, params }) => getVersion({ ctx, id: params.id! }) });

// DELETE /api/lora/versions/:id — soft delete, then purge its weights, packs and job outputs
export const DELETE = apiRoute({ auth: 'user', doc: { operationId: 'deleteVersion', summary: 'Delete a version and purge its weights, packs and job outputs', tag: 'Versions', errors: [409] }, rateLimit: 'api', output: DeletedVersion, handler: ({ ctx, params }) => deleteVersion({ ctx, id: params.id! }) });

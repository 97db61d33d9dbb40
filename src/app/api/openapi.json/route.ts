import { json } from '@/server/http/errors-response';
import { documentedRoute } from '@/server/http/route';
import { buildOpenApiDocument } from './document.ts';

// GET /api/openapi.json — the API description, generated from the route definitions themselves
export const GET = documentedRoute(() => json(200, buildOpenApiDocument()), {
  auth: 'public',
  doc: { operationId: 'getOpenApiDocument', summary: 'This API description (OpenAPI 3.1)', tag: 'System' },
});

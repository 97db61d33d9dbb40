// The API description of this app: the route modules (generated index) rendered by
// server/openapi. Lives beside the route that serves it because it imports every route.
import { renderOpenApiDocument } from '@/server/openapi/document';
import { ROUTE_MODULES } from './routes.generated.ts';

export function buildOpenApiDocument() {
  return renderOpenApiDocument(ROUTE_MODULES);
}

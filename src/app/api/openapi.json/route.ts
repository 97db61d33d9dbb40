import { json } from '@/server/http/errors-response';
import { buildOpenApiDocument } from '@/server/openapi/document';

// GET /api/openapi.json — the API description, generated from the routes' Zod schemas
export function GET() {
  return json(200, buildOpenApiDocument());
}

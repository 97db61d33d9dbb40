// Writes src/app/api/openapi.json/routes.generated.ts: every src/app/api/**/route.ts (less the
// documented exemptions) as an import, with the URL path its file location gives it. The
// OpenAPI document is built from those modules' own definitions; tests/openapi/coverage.test.ts
// fails when this file is out of step with the route files on disk.
//   npx tsx scripts/gen-openapi-routes.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRouteIndex } from '../src/server/openapi/route-files.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'src/app/api/openapi.json/routes.generated.ts');
writeFileSync(out, renderRouteIndex(path.join(root, 'src/app/api')));
console.log(`wrote ${path.relative(root, out)}`);

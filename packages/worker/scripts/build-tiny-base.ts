// Regenerates the tiny frozen base networks cpu-reference trains against, from their fixed
// seeds, into packages/worker/assets/. Deterministic: rerunning it must not change the files
// (test/cpu-reference-assets.test.ts checks the committed bytes against a fresh build).
//   npx tsx packages/worker/scripts/build-tiny-base.ts
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { buildTinyBaseBytes, tinyBasePath, type TinyKind } from '../src/backends/cpu-reference/index.ts';

for (const kind of ['image', 'text'] as TinyKind[]) {
  const bytes = buildTinyBaseBytes(kind);
  const path = tinyBasePath(kind);
  writeFileSync(path, bytes);
  console.log(`${path}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
}

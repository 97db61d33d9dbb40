// Rewrites the golden files after an intended change to the compiler or the catalog:
//   npx tsx src/server/prompts/__golden__/update.ts
// then review `git diff src/server/prompts/__golden__` like any other code change.
// Tests never write these files; CI only compares.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { compilePrompt } from '../compile.ts';
import { stableJson } from '../format.ts';
import { goldenCases } from './cases.ts';

for (const c of goldenCases()) {
  const path = fileURLToPath(new URL(c.file, import.meta.url));
  writeFileSync(path, stableJson(compilePrompt(c.args)));
  console.log(`wrote ${c.file}`);
}

#!/usr/bin/env node
// `npm run bench [name…]`: runs the benchmarks under bench/ (all by default). Each one measures
// its baseline in the same run, notes the machine, and writes bench/<name>/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const all = readdirSync(path.join(root, 'bench')).filter((d) => existsSync(path.join(root, 'bench', d, 'run.ts')));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
let failed = 0;
for (const name of wanted.length ? wanted : all) {
  console.log(`\n[bench] ${name}`);
  const r = spawnSync(path.join(root, 'node_modules', '.bin', 'tsx'), [path.join('bench', name, 'run.ts')], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);

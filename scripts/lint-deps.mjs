#!/usr/bin/env node
// `npm run lint:deps`: the import-boundary rules in .dependency-cruiser.cjs, failing only on
// violations that are not in .dependency-cruiser-known-violations.json (the baseline).
//
// Why a wrapper and not plain `depcruise --ignore-known`: dependency-cruiser softens known
// violations of module-level rules only; folder-level ones (our no-server-domain-cycles) are
// always reported (a TODO in its soften-known-violations). Here a folder cycle counts as known
// when the baseline has the same rule and the same domain edge (from → to): the path it prints
// for that edge may change as code moves, but a NEW edge that closes a cycle is new and fails.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const baselineFile = '.dependency-cruiser-known-violations.json';
const r = spawnSync(
  path.join(root, 'node_modules', '.bin', 'depcruise'),
  ['src', 'packages', '--config', '.dependency-cruiser.cjs', '--ignore-known', baselineFile, '--output-type', 'json'],
  { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
);
if (!r.stdout) {
  process.stderr.write(r.stderr || 'depcruise produced no output\n');
  process.exit(2);
}
const result = JSON.parse(r.stdout);
const known = JSON.parse(readFileSync(path.join(root, baselineFile), 'utf8'));
const isKnownFolderViolation = (v) =>
  known.some((k) => k.rule.name === v.rule.name && k.from === v.from && k.to === v.to);

const folderRules = new Set(
  result.summary.ruleSetUsed.forbidden.filter((rule) => rule.scope === 'folder').map((rule) => rule.name),
);
// Module-level known violations arrive softened (severity 'ignore'); folder-level ones do not.
const fresh = result.summary.violations.filter(
  (v) => v.rule.severity === 'error' && !(folderRules.has(v.rule.name) && isKnownFolderViolation(v)),
);
if (fresh.length === 0) {
  console.log(`✔ import boundaries: no new violations (${known.length} known, in ${baselineFile}).`);
  process.exit(0);
}
const rules = new Map(result.summary.ruleSetUsed.forbidden.map((rule) => [rule.name, rule.comment]));
for (const v of fresh) {
  const via = v.cycle ? ` → ${v.cycle.map((c) => c.name).join(' → ')}` : ` → ${v.to}`;
  console.error(`  error ${v.rule.name}: ${v.from}${via}`);
  if (rules.get(v.rule.name)) console.error(`        ${rules.get(v.rule.name)}`);
}
console.error(
  `\n✖ ${fresh.length} new import-boundary violation(s) (rules in .dependency-cruiser.cjs). Fix the import; ` +
    `the baseline (${baselineFile}) only ever shrinks: regenerate it with \`npm run lint:deps:baseline\` after removing violations.`,
);
process.exit(1);

#!/usr/bin/env node
// `npm test`: typecheck, lint (ESLint, import boundaries), unit + integration tests on PGlite (and the database-backed ones
// again on Postgres when TEST_DATABASE_URL is set), then browser tests in the system Chromium. Ends with one line
// "N passed, N failed" over every test that ran.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfNeeded } from './lib/build.mjs';
import { findChrome } from './lib/chrome.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const say = (msg) => console.log(`\n[test] ${msg}`);
const totals = { passed: 0, failed: 0 };
const failures = [];

function run(label, cmd, args, env = {}) {
  say(label);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) failures.push(label);
  return r.status === 0;
}

function vitest(label, args, env = {}) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'vitest-')), 'report.json');
  const ok = run(label, bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...args], env);
  if (existsSync(out)) {
    const report = JSON.parse(readFileSync(out, 'utf8'));
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    if ((report.numTotalTests ?? 0) === 0) failures.push(`${label}: no tests ran`);
  } else if (ok) failures.push(`${label}: no report`);
  return ok;
}

run('build workspace packages', 'npm', ['run', '--silent', 'build:packages']);
run('typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
run('lint', bin('eslint'), ['--max-warnings', '0', '.']);
// Import boundaries (.dependency-cruiser.cjs); known violations are in its baseline file.
run('lint: import boundaries', 'npm', ['run', '--silent', 'lint:deps']);
vitest('unit + integration (PGlite)', [], { TEST_DATABASE_URL: '' });
if (process.env.TEST_DATABASE_URL) {
  // Only what touches the database runs twice: tests/ (the unit tests under src/ and packages/
  // and the 1 GB validator run in tests/large use no database and gain nothing from a rerun).
  vitest(`integration (Postgres at ${new URL(process.env.TEST_DATABASE_URL).host})`, ['tests', '--exclude', 'tests/large/**'], { TEST_DATABASE_URL: process.env.TEST_DATABASE_URL });
}

// Real-world suite: third-party fixtures that may not be committed live in ../shared/fixtures.
if (existsSync(path.join(root, '..', 'shared', 'fixtures'))) {
  vitest('real-world suite (../shared/fixtures)', ['--config', 'vitest.realworld.config.ts']);
} else {
  say('real-world suite: not run (../shared/fixtures is not next to this checkout).');
}

const chrome = findChrome();
if (chrome) {
  buildIfNeeded(root, (m) => say(m));
  vitest('browser tests (Chromium)', ['--config', 'vitest.browser.config.ts'], { CHROME_PATH: chrome });
} else if (process.env.CI) {
  failures.push('browser tests: no Chromium found (set CHROME_PATH or apt-get install chromium)');
  say('browser tests: FAILED — Chromium not found and CI is set.');
} else {
  say('browser tests: NOT RUN — no Chromium found. Install it with `sudo apt-get install chromium` (or set CHROME_PATH) and run `npm test` again.');
}

console.log('');
if (failures.length) console.log(`[test] failed steps:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(failures.length ? 1 : 0);

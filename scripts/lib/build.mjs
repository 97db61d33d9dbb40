// Shared by `npm start` and `npm test`: build the packages and the Next app only when a
// source file is newer than the last build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SOURCES = ['src', 'packages/protocol/src', 'packages/worker/src', 'drizzle', 'next.config.ts', 'package-lock.json', 'postcss.config.mjs', 'tsconfig.json'];

function newestMtime(root) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && e !== 'dist' && !e.startsWith('.')) walk(path.join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  SOURCES.forEach((s) => walk(path.join(root, s)));
  return newest;
}

export function buildIfNeeded(root, log = console.log) {
  const stamp = path.join(root, '.next', 'lora-studio-build.json');
  const newest = newestMtime(root);
  const built = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')).newest : -1;
  const fresh = existsSync(path.join(root, '.next', 'BUILD_ID')) && existsSync(path.join(root, 'packages', 'worker', 'dist')) && built >= newest;
  if (fresh) return;
  log('building the app (first run, or sources changed) — a few minutes on 2 cores…');
  const r = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (r.status !== 0) process.exit(r.status ?? 1);
  writeFileSync(stamp, JSON.stringify({ newest }));
}

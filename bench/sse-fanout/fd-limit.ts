// Imported FIRST by run.ts, before anything opens a database or a socket. 1,000 subscribers
// need ~1,000 descriptors in each of the two processes. If the soft limit is lower but the
// hard limit allows it, the bench re-runs itself under a raised soft limit — for this process
// tree only; nothing system-wide changes. (Sockets themselves are uncapped by the agents:
// maxSockets Infinity.)
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

export const SUBSCRIBERS = 1000;
const NEED = SUBSCRIBERS + 512; // + database, IPC, stdio, the sender's sockets
const RAISED = 'LORA_STUDIO_BENCH_FD_RAISED';

function openFilesLimit(): { soft: number; hard: number } | null {
  if (!existsSync('/proc/self/limits')) return null; // not Linux: trust the shell's limit
  const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  if (!m) return null;
  const n = (s: string) => (s === 'unlimited' ? Infinity : Number(s));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}

const limit = openFilesLimit();
if (limit && limit.soft < NEED) {
  if (limit.hard < NEED || process.env[RAISED]) {
    console.error(`sse-fanout needs ${NEED} open files per process; the limit is ${limit.soft} (hard ${limit.hard}). Raise it (ulimit -n ${NEED}) and run again.`);
    process.exit(2);
  }
  const argv = [process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const r = spawnSync('/bin/sh', ['-c', `ulimit -S -n ${NEED} && exec "$@"`, 'sh', ...argv], { stdio: 'inherit', env: { ...process.env, [RAISED]: '1' } });
  process.exit(r.status ?? 1);
}

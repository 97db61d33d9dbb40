#!/usr/bin/env node
// `npm start`: validate env → build if sources changed → scripts/serve.mjs (Next behind our
// own node:http server, which hands the socket address to the app) → wait for health →
// local worker (pull mode, cpu-reference) unless LOCAL_WORKER=0 → print the demo login.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { buildIfNeeded } from './lib/build.mjs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const log = (msg) => console.log(`[lora-studio] ${msg}`);

function checkEnv() {
  const r = spawnSync(bin('tsx'), ['scripts/check-env.ts'], { encoding: 'utf8', env: process.env });
  if (r.status !== 0) {
    process.stderr.write(r.stderr || r.stdout || 'environment check failed\n');
    process.exit(r.status ?? 1);
  }
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

async function waitForHealth(url, child, timeoutMs = 180_000) {
  const start = Date.now();
  while (Date.now() - start < timeoutMs) {
    if (child.exitCode !== null) return false;
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return true;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

const cfg = checkEnv();
buildIfNeeded(root, log);
log(`starting on ${cfg.appUrl} (database: ${cfg.database}, storage: ${cfg.storage}, data: ${cfg.dataDir})`);
const children = [];
const app = spawn(process.execPath, [path.join(root, 'scripts', 'serve.mjs'), '-p', String(cfg.port)], { stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
children.push(app);

const stop = (code) => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  setTimeout(() => process.exit(code), 5000).unref();
};
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
app.on('exit', (code) => {
  log(`app exited (${code})`);
  stop(code ?? 1);
});

if (!(await waitForHealth(cfg.appUrl, app))) {
  log('the app did not become healthy; see the log above.');
  stop(1);
} else {
  const workerCli = path.join(root, 'packages', 'worker', 'dist', 'cli.js');
  const wantWorker = (process.env.LOCAL_WORKER ?? '1') !== '0';
  if (wantWorker && existsSync(workerCli)) {
    const worker = spawn(process.execPath, [workerCli, '--control-plane', cfg.appUrl, '--token', cfg.localWorkerToken, '--backend', 'cpu-reference', '--name', 'local'], {
      stdio: 'inherit',
    });
    children.push(worker);
    log('local worker started (pull mode, cpu-reference backend). Set LOCAL_WORKER=0 to run without it.');
  } else if (wantWorker) {
    log('local worker not available in this build (packages/worker has no CLI yet): training jobs will wait for a worker.');
  }
  log(`ready: ${cfg.appUrl}`);
  if (cfg.demo) log(`demo login: ${cfg.demo.email} / ${cfg.demo.password}`);
  log(`add a worker: node packages/worker/dist/cli.js --control-plane ${cfg.appUrl} --token ${cfg.localWorkerToken} --name worker-2`);
}

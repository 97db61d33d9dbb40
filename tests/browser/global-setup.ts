// Starts the built app once for all browser tests: scripts/serve.mjs (what `npm start` runs) on a free port with its own
// DATA_DIR (PGlite + local storage), the demo account on, and one local worker.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    dataDir: string;
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

let app: ChildProcess | undefined;
let worker: ChildProcess | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject) {
  const port = await freePort();
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'lora-studio-browser-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  app = spawn(process.execPath, [path.resolve('scripts/serve.mjs'), '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, APP_URL: baseUrl, DATA_DIR: dataDir, PORT: String(port), DEMO_ACCOUNT: '1', LOG_LEVEL: 'warn', NEXT_TELEMETRY_DISABLED: '1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`scripts/serve.mjs exited with ${app.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) break;
    } catch {
      /* starting */
    }
    if (Date.now() > deadline) throw new Error('the app did not become healthy in 3 minutes');
    await new Promise((r) => setTimeout(r, 500));
  }
  // Training tests (tests/browser/training.test.ts): ONE local pull-mode worker, exactly as
  // `npm start` runs it (cpu-reference), with the token the app wrote to secrets.json.
  // Needs `npx tsc -b packages/protocol packages/worker` (part of `npm run build`).
  const { LOCAL_WORKER_TOKEN } = JSON.parse(readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')) as { LOCAL_WORKER_TOKEN: string };
  worker = spawn(
    process.execPath,
    [path.resolve('packages/worker/dist/cli.js'), '--control-plane', baseUrl, '--token', LOCAL_WORKER_TOKEN, '--name', 'browser-worker', '--work-dir', path.join(dataDir, 'worker')],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  project.provide('baseUrl', baseUrl);
  project.provide('dataDir', dataDir);
}

export async function teardown() {
  // The worker first: it reports its running job (if any) while the app is still up.
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await new Promise((r) => worker!.once('exit', r));
  }
  if (app && app.exitCode === null) {
    app.kill('SIGTERM');
    await new Promise((r) => app!.once('exit', r));
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

// Operator tool: create a worker token and print it ONCE (only its sha256 is stored).
//   npx tsx scripts/create-worker-token.ts "gpu-box-1"
//   npx tsx scripts/create-worker-token.ts --revoke wkt_…
// With the embedded database (no DATABASE_URL) stop the app first: PGlite allows one process.
import { env, EnvError } from '../src/env.ts';
import { closeDb, getDb } from '../src/server/db/index.ts';
import { createWorkerToken, revokeWorkerToken } from '../src/server/workers/tokens.ts';

async function appIsUp(url: string): Promise<boolean> {
  try {
    return (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(1500) })).status < 500;
  } catch {
    return false;
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const e = env();
  if (!e.DATABASE_URL && (await appIsUp(e.APP_URL))) {
    process.stderr.write(`The app is running on ${e.APP_URL} with the embedded database, which only one process may open.\nStop it, run this again, then start it.\n`);
    return 1;
  }
  const db = await getDb();
  try {
    if (args[0] === '--revoke') {
      const id = args[1];
      if (!id) throw new Error('usage: create-worker-token.ts --revoke <token id>');
      process.stdout.write((await revokeWorkerToken(db, id)) ? `revoked ${id}\n` : `no active token ${id}\n`);
      return 0;
    }
    const name = args.join(' ').trim() || `worker ${new Date().toISOString().slice(0, 10)}`;
    const { id, token } = await createWorkerToken(db, { name });
    process.stdout.write(`Worker token "${name}" (${id}) — shown once, store it now:\n\n  ${token}\n\nRun a worker with:\n  lora-studio-worker --control-plane ${e.APP_URL} --token ${token}\n`);
    return 0;
  } finally {
    await closeDb();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof EnvError ? err.message : (err as Error).message}\n`);
    process.exit(1);
  },
);

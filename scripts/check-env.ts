// `npm start` runs this first: validates the environment (generating local secrets on a
// fresh machine) and prints what the launcher needs as one JSON line. A bad value stops
// here with a message that names the variable.
import { env, EnvError } from '../src/env.ts';

try {
  const e = env();
  process.stdout.write(
    JSON.stringify({
      appUrl: e.APP_URL,
      port: e.PORT,
      dataDir: e.DATA_DIR,
      database: e.DATABASE_URL ? 'postgres' : 'pglite',
      storage: e.STORAGE_PROVIDER,
      demo: e.DEMO_ACCOUNT ? { email: 'demo@lora.studio.local', password: e.DEMO_PASSWORD } : null,
      localWorkerToken: e.LOCAL_WORKER_TOKEN,
    }) + '\n',
  );
} catch (err) {
  if (err instanceof EnvError) {
    process.stderr.write(`\n${err.message}\n\n`);
    process.exit(2);
  }
  throw err;
}

// Runs once per server process (instrumentation.ts): validate env, open + migrate + seed the
// database, seed the demo account and the local worker token, start background work.
import { env, EnvError } from '@/env';
import { getDbHandle } from '@/server/db';
import { logger } from '@/server/http/logger';
import { initSentry } from '@/server/observability/sentry';
import { ensureDemoAccount } from './demo-account.ts';
import { ensureLocalWorkerToken } from './local-worker-token.ts';

export async function boot(): Promise<void> {
  let e;
  try {
    e = env();
  } catch (err) {
    if (err instanceof EnvError) {
      console.error(`\n[lora-studio] ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  await initSentry();
  const handle = await getDbHandle();
  await ensureLocalWorkerToken(handle.db, e.LOCAL_WORKER_TOKEN);
  if (e.DEMO_ACCOUNT) {
    const demo = await ensureDemoAccount(handle.db, e.DEMO_PASSWORD);
    logger().info({ email: demo.email, created: demo.created }, 'demo account ready');
  }
  logger().info({ db: handle.kind, storage: e.STORAGE_PROVIDER, appUrl: e.APP_URL }, 'LoRA Studio ready');
  if (e.SCHEDULER) (await import('@/server/scheduler/start')).startScheduler();
}

// The in-app scheduler loop (SCHEDULER=1, the default): one tick every few seconds, never
// two at once in a process; other replicas run their own loops and the tasks' locks keep
// them from stepping on each other.
import { logger } from '@/server/http/logger';
import { runSchedulerTick } from './tick.ts';

const KEY = Symbol.for('lora-studio.scheduler');
type G = typeof globalThis & { [KEY]?: { stop: () => void } };

export function startScheduler(intervalMs = 5000): { stop: () => void } {
  const g = globalThis as G;
  if (g[KEY]) return g[KEY];
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runSchedulerTick()
      .catch((err: unknown) => logger().error({ err }, 'scheduler tick failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  g[KEY] = {
    stop: () => {
      clearInterval(timer);
      delete g[KEY];
    },
  };
  logger().info({ intervalMs }, 'scheduler started');
  return g[KEY];
}

// Rate limits (rate-limiter-flexible): in memory by default; shared across replicas in
// Redis (REDIS_URL) or Postgres (RATE_LIMIT_STORE=postgres). Each policy limits per user
// and per IP, so neither a shared NAT nor a botnet of accounts gets around it.
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { env } from '@/env';
import { getDbHandle } from '@/server/db';
import { LimitExceededError } from '@/server/errors';

export const RATE_LIMIT_POLICIES = {
  auth: { points: 10, duration: 60, message: 'Too many sign-in attempts. Wait a minute and try again.' },
  upload: { points: 60, duration: 60, message: 'Too many upload requests. Slow down and try again shortly.' },
  jobs: { points: 10, duration: 60, message: 'Too many training requests. Wait a minute before starting another job.' },
  // Per IP, before the signature is checked: a host may run several workers and jobs.
  webhook: { points: 6000, duration: 60, message: 'Too many events. Back off and retry.' },
  // Per job, after it: ~20 events a second is far above what a trainer needs to report.
  webhook_job: { points: 1200, duration: 60, message: 'Too many events for this job. Back off and retry.' },
  worker: { points: 600, duration: 60, message: 'Too many worker requests. Back off and retry.' },
  download: { points: 60, duration: 60, message: 'Too many downloads. Try again shortly.' },
  api: { points: 600, duration: 60, message: 'Too many requests. Slow down and try again shortly.' },
} as const;

export type RateLimitPolicy = keyof typeof RATE_LIMIT_POLICIES;

const KEY = Symbol.for('lora-studio.rate-limiters');
type G = typeof globalThis & { [KEY]?: Map<RateLimitPolicy, Promise<RateLimiterAbstract>> };

async function createLimiter(policy: RateLimitPolicy): Promise<RateLimiterAbstract> {
  const { points, duration } = RATE_LIMIT_POLICIES[policy];
  const keyPrefix = `rl_${policy}`;
  const store = env().RATE_LIMIT_STORE;
  if (store === 'redis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(env().REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    return new RateLimiterRedis({ storeClient: client, points, duration, keyPrefix, insuranceLimiter: new RateLimiterMemory({ points, duration }) });
  }
  if (store === 'postgres') {
    const handle = await getDbHandle();
    if (handle.pool) {
      const limiter = await new Promise<RateLimiterAbstract>((resolve, reject) => {
        const l: RateLimiterPostgres = new RateLimiterPostgres(
          { storeClient: handle.pool, storeType: 'pool', tableName: 'rate_limits', points, duration, keyPrefix },
          (err?: Error) => (err ? reject(err) : resolve(l)),
        );
      });
      return limiter;
    }
  }
  return new RateLimiterMemory({ points, duration, keyPrefix });
}

function limiterFor(policy: RateLimitPolicy): Promise<RateLimiterAbstract> {
  const g = globalThis as G;
  g[KEY] ??= new Map();
  let p = g[KEY].get(policy);
  if (!p) {
    p = createLimiter(policy);
    g[KEY].set(policy, p);
  }
  return p;
}

/** Consume one point for each subject (user id, IP…); throws LimitExceeded (429) when over. */
export async function consumeRateLimit(policy: RateLimitPolicy, subjects: (string | null | undefined)[]): Promise<void> {
  const limiter = await limiterFor(policy);
  for (const subject of subjects) {
    if (!subject) continue;
    try {
      await limiter.consume(subject);
    } catch (e) {
      if (e instanceof RateLimiterRes) {
        throw new LimitExceededError(RATE_LIMIT_POLICIES[policy].message, e.msBeforeNext / 1000, { policy, retry_after_seconds: Math.ceil(e.msBeforeNext / 1000) });
      }
      throw e;
    }
  }
}

/** Test hook: forget all counters. */
export function resetRateLimitsForTests(): void {
  delete (globalThis as G)[KEY];
}

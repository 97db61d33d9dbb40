// Rate limits (rate-limiter-flexible): in memory by default; shared across replicas in
// Redis (REDIS_URL) or Postgres (RATE_LIMIT_STORE=postgres). Each policy limits per user
// and per IP, so neither a shared NAT nor a botnet of accounts gets around it. The IP is
// always clientIp() (request-info.ts) turned into a key by ipSubject(): never a header value.
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { env } from '@/env';
import { getDbHandle } from '@/server/db';
import { LimitExceededError } from '@/server/errors';

export const RATE_LIMIT_POLICIES = {
  auth: { points: 10, duration: 60, message: 'Too many sign-in attempts. Wait a minute and try again.' },
  // Per account (normalised email), counting failed sign-ins only: after 10 in 15 minutes the
  // account is locked for 15 minutes, whatever address the tries come from.
  auth_account: { points: 10, duration: 15 * 60, blockDuration: 15 * 60, message: lockoutMessage },
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

function lockoutMessage(retryAfterSeconds: number): string {
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const at = new Date(Date.now() + retryAfterSeconds * 1000).toISOString().slice(11, 16);
  return `Too many failed sign-ins for this account. It is locked for ${minutes} more minute${minutes === 1 ? '' : 's'}; try again after ${at} UTC.`;
}

/**
 * The limiter key for a client address. IPv6 is keyed by its /64 (what one subscriber gets,
 * so rotating addresses inside it does not help); an unknown address is one shared bucket,
 * so a missing socket address tightens the limit instead of lifting it.
 */
export function ipSubject(address: string | null): string {
  if (!address) return 'ip:unknown';
  if (!address.includes(':')) return `ip:${address}`;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `ip:${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

const KEY = Symbol.for('lora-studio.rate-limiters');
type G = typeof globalThis & { [KEY]?: Map<RateLimitPolicy, Promise<RateLimiterAbstract>> };

async function createLimiter(policy: RateLimitPolicy): Promise<RateLimiterAbstract> {
  const p: { points: number; duration: number; blockDuration?: number } = RATE_LIMIT_POLICIES[policy];
  const { points, duration } = p;
  const blockDuration = p.blockDuration ?? 0;
  const keyPrefix = `rl_${policy}`;
  const store = env().RATE_LIMIT_STORE;
  if (store === 'redis') {
    const { Redis } = await import('ioredis');
    const client = new Redis(env().REDIS_URL!, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    return new RateLimiterRedis({ storeClient: client, points, duration, blockDuration, keyPrefix, insuranceLimiter: new RateLimiterMemory({ points, duration, blockDuration }) });
  }
  if (store === 'postgres') {
    const handle = await getDbHandle();
    if (handle.pool) {
      const limiter = await new Promise<RateLimiterAbstract>((resolve, reject) => {
        const l: RateLimiterPostgres = new RateLimiterPostgres(
          { storeClient: handle.pool, storeType: 'pool', tableName: 'rate_limits', points, duration, blockDuration, keyPrefix },
          (err?: Error) => (err ? reject(err) : resolve(l)),
        );
      });
      return limiter;
    }
  }
  return new RateLimiterMemory({ points, duration, blockDuration, keyPrefix });
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
        const message: string | ((retryAfterSeconds: number) => string) = RATE_LIMIT_POLICIES[policy].message;
        const seconds = e.msBeforeNext / 1000;
        throw new LimitExceededError(typeof message === 'function' ? message(seconds) : message, seconds, { policy, retry_after_seconds: Math.ceil(seconds) });
      }
      throw e;
    }
  }
}

/** Give back the point one consumeRateLimit took (a sign-in that succeeded is no failure). */
export async function refundRateLimit(policy: RateLimitPolicy, subject: string): Promise<void> {
  await (await limiterFor(policy)).reward(subject, 1);
}

/** Test hook: forget all counters. */
export function resetRateLimitsForTests(): void {
  delete (globalThis as G)[KEY];
}

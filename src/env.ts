// The only reader of process.env (STYLE.md §11). Validated once, with Zod; a missing or
// invalid value stops the start with a message that names the variable. Secrets a fresh
// local start needs are generated once and kept in <DATA_DIR>/secrets.json (mode 0600),
// so `npm start` needs no configuration.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'])
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const optionalUrl = z.url().optional();
const secret = z.string().min(32, 'must be at least 32 characters');

/** Named ranges TRUSTED_PROXIES accepts besides IPs and CIDRs (expanded in http/request-info.ts). */
export const PROXY_KEYWORDS = ['loopback', 'private', 'linklocal'] as const;
const splitList = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);

function proxyEntryProblem(entry: string): string | null {
  if ((PROXY_KEYWORDS as readonly string[]).includes(entry)) return null;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined) return `"${entry}" is not an IP address, a CIDR range (e.g. 10.0.0.0/8) or one of ${PROXY_KEYWORDS.join(', ')}`;
  const max = family === 4 ? 32 : 128;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)) return `"${entry}" has an invalid prefix length (0–${max})`;
  return null;
}

export const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development').describe('Node environment: development, production or test'),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe('where the app is served (port)'),
    APP_URL: z.url().optional().describe('where the app is served; used for signed URLs, Origin checks and auth (default http://localhost:$PORT)'),
    DATA_DIR: z.string().min(1).default('./data').describe('local data: PGlite, local storage, generated secrets'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional().describe('postgres://… to use Postgres 15+ instead of the embedded PGlite (unset → PGlite)'),
    PGLITE_DIR: z.string().optional().describe('where the embedded PGlite database lives (default DATA_DIR/pglite; memory:// for an in-memory one, tests)'), // 'memory://' for an in-memory database (tests)
    AUTH_SECRET: secret.describe('Better Auth secret; generated into DATA_DIR/secrets.json, set it explicitly in production (≥ 32 chars)'),
    WORKER_HMAC_SECRET: secret.describe('master key for worker job specs and events (whsec_…); generated into DATA_DIR/secrets.json, set it explicitly in production (≥ 32 chars)'),
    STORAGE_SIGNING_KEY: secret.describe('key for signed storage URLs; generated into DATA_DIR/secrets.json, set it explicitly in production (≥ 32 chars)'),
    LOCAL_WORKER_TOKEN: z.string().min(32).describe('token of the local worker npm start runs; generated into DATA_DIR/secrets.json'),
    DEMO_PASSWORD: z.string().min(8).describe('password of the seeded demo account; generated into DATA_DIR/secrets.json'),
    STORAGE_PROVIDER: z.enum(['local', 's3', 'r2']).default('local').describe('object storage: local, s3 or r2'),
    STORAGE_BUCKET: z.string().optional().describe('S3 / R2 / MinIO bucket (required for s3 and r2)'),
    STORAGE_REGION: z.string().optional().describe('S3 / R2 / MinIO region (default auto for R2, us-east-1 otherwise)'), // default: 'auto' for R2, 'us-east-1' otherwise
    STORAGE_ENDPOINT: optionalUrl.describe('S3 / R2 / MinIO endpoint URL (required for R2 and MinIO)'),
    STORAGE_ACCESS_KEY: z.string().optional().describe('S3 / R2 / MinIO access key (required for s3 and r2)'),
    STORAGE_SECRET_KEY: z.string().optional().describe('S3 / R2 / MinIO secret key (required for s3 and r2)'),
    STORAGE_FORCE_PATH_STYLE: bool.default(false).describe('path-style bucket URLs (1 for MinIO)'),
    WORKER_URL: optionalUrl.describe('a push-mode worker (webhook_worker provider)'),
    // Backends the push worker at WORKER_URL runs, comma-separated; each push dispatch fixes
    // one of them. Unset: the base model's GPU trainers (cpu-reference only when listed).
    WORKER_BACKENDS: z
      .string()
      .regex(/^(cpu-reference|ai-toolkit|kohya|axolotl)(\s*,\s*(cpu-reference|ai-toolkit|kohya|axolotl))*$/, 'must be a comma-separated list of cpu-reference, ai-toolkit, kohya, axolotl')
      .optional().describe('backends that push worker runs, comma-separated (e.g. cpu-reference); each dispatch fixes one of them in the spec (unset → the base model\'s GPU trainers)'),
    SENTRY_DSN: optionalUrl.describe('error reporting; Sentry is not loaded at all without it'),
    PLAN_PRO_OVERRIDE: z.coerce.number().int().min(0).optional().describe('training jobs a month on the Pro plan (unset → 20)'),
    REPLICATE_API_TOKEN: z.string().optional().describe('the Replicate provider: API token'),
    REPLICATE_WEBHOOK_SECRET: z.string().optional().describe('the Replicate provider: webhook signing secret'),
    REPLICATE_DESTINATION: z
      .string()
      .regex(/^[\w.-]+\/[\w.-]+$/, 'must be owner/model')
      .optional().describe('the Replicate provider: your owner/model that trainings push their versions to'), // the Replicate model trainings push their versions to
    REPLICATE_API_BASE: z.url().default('https://api.replicate.com/v1').describe('the Replicate provider: API base URL'),
    REPLICATE_WEIGHTS_HOSTS: z.string().default('replicate.delivery,pbxt.replicate.delivery').describe('the Replicate provider: hosts trained weights may be downloaded from, comma-separated'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional().describe('redis:// URL for shared rate limits across replicas'),
    RATE_LIMIT_STORE: z.enum(['memory', 'postgres', 'redis']).optional().describe('where rate limits are kept: memory, redis (needs REDIS_URL) or postgres (needs DATABASE_URL) (unset → redis with REDIS_URL, else memory)'),
    // Proxies whose X-Forwarded-For entry is believed (IPs, CIDRs, loopback/private/linklocal).
    // Unset: no proxy is trusted and the client is the socket peer.
    TRUSTED_PROXIES: z.string().optional().describe('the reverse proxies in front of the app, comma-separated IPs, CIDRs or loopback / private / linklocal; only their X-Forwarded-For entry is believed (unset: no proxy trusted, the client is the socket address)'),
    // Or: the number of proxies in front of the app; the socket peer and the N-1 entries it
    // appended are trusted, whatever their address. Only when the app port is reachable only
    // through them.
    TRUSTED_PROXY_HOPS: z.coerce.number().int('must be a whole number').min(0).max(10).default(0).describe('instead: the number of proxies in front of the app, trusted whatever their address — only when the app port is reachable through them alone'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('pino JSON logs, one request id per request: fatal, error, warn, info, debug, trace or silent'),
    DEMO_ACCOUNT: bool.default(true).describe('seed the demo account; set 0 on a public deployment'),
    SCHEDULER: bool.default(true).describe('run the in-process scheduler (lease reaping, deadlines, sweeps); 0 to not'),
    // Read by scripts/start.mjs before the app starts (anything but 0 means on); listed here so
    // the schema knows every variable (.env.example, README table).
    LOCAL_WORKER: z.string().optional().describe('npm start runs one local worker beside the app (pull mode, cpu-reference); 0 to not (unset → on)'),
    SYSTEM_PROMPT_CORE: z
      .string()
      .default('Keep the subject consistent with the reference identity; photorealistic, natural lighting.').describe('the core system prompt Prompt Studio adds to every compiled prompt'),
  })
  .superRefine((env, ctx) => {
    if (env.STORAGE_PROVIDER !== 'local') {
      for (const key of ['STORAGE_BUCKET', 'STORAGE_ACCESS_KEY', 'STORAGE_SECRET_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `is required when STORAGE_PROVIDER=${env.STORAGE_PROVIDER}` });
      }
      if (env.STORAGE_PROVIDER === 'r2' && !env.STORAGE_ENDPOINT) {
        ctx.addIssue({ code: 'custom', path: ['STORAGE_ENDPOINT'], message: 'is required when STORAGE_PROVIDER=r2' });
      }
    }
    for (const entry of splitList(env.TRUSTED_PROXIES)) {
      const problem = proxyEntryProblem(entry);
      if (problem) ctx.addIssue({ code: 'custom', path: ['TRUSTED_PROXIES'], message: `${problem}; give a comma-separated list` });
    }
    if (env.RATE_LIMIT_STORE === 'redis' && !env.REDIS_URL) {
      ctx.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'is required when RATE_LIMIT_STORE=redis' });
    }
    if (env.RATE_LIMIT_STORE === 'postgres' && !env.DATABASE_URL) {
      ctx.addIssue({ code: 'custom', path: ['DATABASE_URL'], message: 'is required when RATE_LIMIT_STORE=postgres' });
    }
  })
  .transform((env) => ({
    ...env,
    APP_URL: (env.APP_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ''),
    DATA_DIR: path.resolve(env.DATA_DIR),
    PGLITE_DIR: env.PGLITE_DIR ?? path.join(path.resolve(env.DATA_DIR), 'pglite'),
    STORAGE_REGION: env.STORAGE_REGION ?? (env.STORAGE_PROVIDER === 'r2' ? 'auto' : 'us-east-1'),
    RATE_LIMIT_STORE: env.RATE_LIMIT_STORE ?? (env.REDIS_URL ? 'redis' : 'memory'),
    TRUSTED_PROXIES: splitList(env.TRUSTED_PROXIES),
  }));

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid environment configuration:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n') +
        '\nFix the variable(s) above (see README "Configuration") and start again.',
    );
    this.name = 'EnvError';
  }
}

type Raw = Record<string, string | undefined>;
const GENERATED = ['AUTH_SECRET', 'WORKER_HMAC_SECRET', 'STORAGE_SIGNING_KEY', 'LOCAL_WORKER_TOKEN', 'DEMO_PASSWORD'] as const;

/** Secrets kept under DATA_DIR so a fresh start needs no configuration. Created once. */
export function loadGeneratedSecrets(dataDir: string): Record<(typeof GENERATED)[number], string> {
  const file = path.join(path.resolve(dataDir), 'secrets.json');
  let stored: Partial<Record<string, string>> = {};
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  let changed = false;
  for (const name of GENERATED) {
    if (!stored[name]) {
      stored[name] =
        name === 'LOCAL_WORKER_TOKEN'
          ? `lsw_${randomBytes(24).toString('base64url')}`
          : name === 'DEMO_PASSWORD'
            ? `demo-${randomBytes(6).toString('hex')}`
            : name === 'WORKER_HMAC_SECRET'
              ? `whsec_${randomBytes(32).toString('base64')}` // Standard Webhooks secret format
              : randomBytes(32).toString('base64url');
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
  }
  return stored as Record<(typeof GENERATED)[number], string>;
}

/** Pure parse of a raw environment (tests call this directly). Empty strings count as unset. */
export function parseEnv(raw: Raw, options: { generateSecrets?: boolean } = {}): Env {
  const cleaned: Raw = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined && v !== '') cleaned[k] = v;
  if (options.generateSecrets !== false) {
    const missing = GENERATED.filter((k) => !cleaned[k]);
    if (missing.length > 0) {
      const generated = loadGeneratedSecrets(cleaned.DATA_DIR ?? './data');
      for (const k of missing) cleaned[k] = generated[k];
    }
  }
  const result = EnvSchema.safeParse(cleaned);
  if (!result.success) {
    throw new EnvError(
      result.error.issues.map((i) => ({ variable: String(i.path[0] ?? '(env)'), message: i.message })),
    );
  }
  return result.data;
}

const CACHE = Symbol.for('lora-studio.env');
type GlobalWithEnv = typeof globalThis & { [CACHE]?: Env };

/** The validated environment, parsed on first use and cached for the process. */
export function env(): Env {
  const g = globalThis as GlobalWithEnv;
  return (g[CACHE] ??= parseEnv(process.env));
}

/** Test hook: override selected values for this process (never used by the app itself). */
export function overrideEnvForTests(patch: Partial<Env>): Env {
  const g = globalThis as GlobalWithEnv;
  g[CACHE] = { ...env(), ...patch };
  return g[CACHE];
}

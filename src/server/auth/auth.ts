// Better Auth: email + password, sessions, organizations (workspaces) and API keys.
// Created lazily after the database is open; one instance per process (globalThis).
import { apiKey } from '@better-auth/api-key';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { nextCookies } from 'better-auth/next-js';
import { organization } from 'better-auth/plugins';
import { env } from '@/env';
import { getDb, type Db } from '@/server/db';
import * as schema from '@/server/db/schema/index.ts';
import { newId, type IdKind } from '@/server/ids';
import { ensurePersonalWorkspace, findPersonalWorkspace } from '@/server/workspaces/personal';
import { API_KEY_NAME_MAX_LENGTH } from './api-key-limits.ts';

const MODEL_ID_KIND: Record<string, IdKind> = {
  user: 'user',
  organization: 'workspace',
  apikey: 'apiKey',
};

export const API_KEY_PREFIX = 'lsk_';

function createAuth(db: Db) {
  const e = env();
  return betterAuth({
    appName: 'LoRA Studio',
    baseURL: e.APP_URL,
    secret: e.AUTH_SECRET,
    trustedOrigins: [e.APP_URL],
    database: drizzleAdapter(db, { provider: 'pg', schema }),
    emailAndPassword: { enabled: true, minPasswordLength: 8, maxPasswordLength: 128, autoSignIn: true },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // Our own limiter (src/server/http/rate-limit.ts) guards auth routes per IP and per
    // account, the same way in every replica; Better Auth's per-process one stays off.
    rateLimit: { enabled: false },
    telemetry: { enabled: false },
    advanced: {
      database: {
        generateId: ({ model }) => {
          const kind = MODEL_ID_KIND[model];
          return kind ? newId(kind) : `${model.slice(0, 4)}_${newId('message').slice(4)}`;
        },
      },
    },
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await ensurePersonalWorkspace(db, user);
          },
        },
      },
      session: {
        create: {
          before: async (session) => {
            const ws = await findPersonalWorkspace(db, session.userId);
            return { data: { ...session, activeOrganizationId: ws } };
          },
        },
      },
    },
    plugins: [
      organization({ allowUserToCreateOrganization: true }),
      // Keys are created only through src/server/api-keys (audit row, rate limit, workspace);
      // the plugin's own /api/auth/api-key/* routes are closed (client-guard.ts).
      apiKey({ defaultPrefix: API_KEY_PREFIX, enableMetadata: true, maximumNameLength: API_KEY_NAME_MAX_LENGTH, rateLimit: { enabled: false } }),
      nextCookies(),
    ],
  });
}

export type Auth = ReturnType<typeof createAuth>;

const KEY = Symbol.for('lora-studio.auth');
type G = typeof globalThis & { [KEY]?: Promise<Auth> };

export function getAuth(): Promise<Auth> {
  const g = globalThis as G;
  g[KEY] ??= getDb().then(createAuth);
  return g[KEY];
}

export function resetAuthForTests(): void {
  delete (globalThis as G)[KEY];
}

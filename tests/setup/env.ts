// Runs before each test file: a private DATA_DIR, and a private database — in-memory PGlite
// by default, or a fresh database on the server named by TEST_DATABASE_URL (created here,
// dropped after the file). Tests never share state with each other or with `npm start`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { createTempDatabase } from '../helpers/temp-database.ts';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lora-studio-test-'));
process.env.DATA_DIR = dataDir;
process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
process.env.APP_URL = 'http://localhost:3000';
process.env.DEMO_ACCOUNT = '0';
process.env.SCHEDULER = '0';
delete process.env.DATABASE_URL;
delete process.env.STORAGE_PROVIDER;
delete process.env.REDIS_URL;
delete process.env.RATE_LIMIT_STORE;
delete process.env.SENTRY_DSN;

const serverUrl = process.env.TEST_DATABASE_URL;
let tempDb: { url: string; drop: () => Promise<void> } | null = null;

if (serverUrl) {
  tempDb = await createTempDatabase(serverUrl, 'lstest');
  process.env.DATABASE_URL = tempDb.url;
} else {
  process.env.PGLITE_DIR = 'memory://';
}

afterAll(async () => {
  const { closeDb } = await import('@/server/db');
  await closeDb();
  await tempDb?.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

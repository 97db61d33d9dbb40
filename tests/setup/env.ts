// Runs before each test file: a private DATA_DIR, and a private database — in-memory PGlite
// by default, or a fresh database on the server named by TEST_DATABASE_URL (created here,
// dropped after the file). Tests never share state with each other or with `npm start`.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll } from 'vitest';

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
let dbName: string | null = null;

if (serverUrl) {
  const pg = (await import('pg')).default;
  dbName = `lstest_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  await admin.end();
  const u = new URL(serverUrl);
  u.pathname = `/${dbName}`;
  process.env.DATABASE_URL = u.toString();
} else {
  process.env.PGLITE_DIR = 'memory://';
}

afterAll(async () => {
  const { closeDb } = await import('@/server/db');
  await closeDb();
  if (serverUrl && dbName) {
    const pg = (await import('pg')).default;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  }
  rmSync(dataDir, { recursive: true, force: true });
});

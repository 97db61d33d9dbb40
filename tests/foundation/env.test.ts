import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '@/env';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'env-test-'));

describe('env', () => {
  it('a fresh start needs no configuration: secrets are generated once and kept', () => {
    const dir = tmp();
    const a = parseEnv({ DATA_DIR: dir });
    const b = parseEnv({ DATA_DIR: dir });
    expect(a.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
    expect(a.AUTH_SECRET).toBe(b.AUTH_SECRET);
    expect(a.WORKER_HMAC_SECRET).not.toBe(a.AUTH_SECRET);
    expect(a.LOCAL_WORKER_TOKEN).toMatch(/^lsw_/);
    const file = path.join(dir, 'secrets.json');
    expect(JSON.parse(readFileSync(file, 'utf8')).STORAGE_SIGNING_KEY).toBe(a.STORAGE_SIGNING_KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(a.STORAGE_PROVIDER).toBe('local');
    expect(a.APP_URL).toBe('http://localhost:3000');
    expect(a.PGLITE_DIR).toBe(path.join(dir, 'pglite'));
    expect(a.RATE_LIMIT_STORE).toBe('memory');
  });

  it('explicit values win over generated ones', () => {
    const secret = 'x'.repeat(40);
    const e = parseEnv({ DATA_DIR: tmp(), AUTH_SECRET: secret, PORT: '4000' });
    expect(e.AUTH_SECRET).toBe(secret);
    expect(e.APP_URL).toBe('http://localhost:4000');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ AUTH_SECRET: 'short' }, 'AUTH_SECRET'],
    [{ STORAGE_PROVIDER: 'ftp' }, 'STORAGE_PROVIDER'],
    [{ STORAGE_PROVIDER: 's3' }, 'STORAGE_BUCKET'],
    [{ STORAGE_PROVIDER: 'r2', STORAGE_BUCKET: 'b', STORAGE_ACCESS_KEY: 'a', STORAGE_SECRET_KEY: 's' }, 'STORAGE_ENDPOINT'],
    [{ RATE_LIMIT_STORE: 'redis' }, 'REDIS_URL'],
    [{ SENTRY_DSN: 'not a url' }, 'SENTRY_DSN'],
    [{ DEMO_ACCOUNT: 'maybe' }, 'DEMO_ACCOUNT'],
  ])('a bad value %j stops the start naming %s', (raw, variable) => {
    let error: unknown;
    try {
      parseEnv({ DATA_DIR: tmp(), ...raw });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EnvError);
    expect((error as EnvError).problems.map((p) => p.variable)).toContain(variable);
    expect((error as EnvError).message).toContain(`${variable}:`);
  });

  it('empty strings count as unset', () => {
    const e = parseEnv({ DATA_DIR: tmp(), DATABASE_URL: '', STORAGE_PROVIDER: '' });
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.STORAGE_PROVIDER).toBe('local');
  });
});

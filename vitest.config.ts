import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Unit and integration tests. Real components only: PGlite in-process (or Postgres when
// TEST_DATABASE_URL is set), real storage on a temp dir or a loopback S3 server.
export default defineConfig({
  resolve: {
    alias: {
      '@lora-studio/protocol': r('./packages/protocol/src/index.ts'),
      '@lora-studio/worker': r('./packages/worker/src/index.ts'),
      '@/': r('./src/') + '/',
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    exclude: ['tests/realworld/**', 'tests/browser/**', 'node_modules/**'],
    environment: 'node',
    setupFiles: ['./tests/setup/env.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Browser tests: the built app under `next start` on a private data dir, driven by
// playwright-core in the system Chromium (never a downloaded browser).
export default defineConfig({
  resolve: { alias: { '@/': r('./src/') + '/' } },
  test: {
    include: ['tests/browser/**/*.test.ts'],
    globalSetup: ['./tests/browser/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});

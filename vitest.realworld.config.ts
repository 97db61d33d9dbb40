import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Real-world suite: reads ../shared/fixtures (third-party files that may not be committed).
// Run by .ci/run when that folder exists; `npm run test:realworld` locally.
export default defineConfig({
  resolve: {
    alias: {
      '@lora-studio/protocol': r('./packages/protocol/src/index.ts'),
      '@lora-studio/worker': r('./packages/worker/src/index.ts'),
      '@/': r('./src/') + '/',
    },
  },
  test: {
    include: ['tests/realworld/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['./tests/setup/env.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});

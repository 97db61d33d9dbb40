import next from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

const config = [
  ...next,
  ...nextTs,
  {
    ignores: ['node_modules/**', '.next/**', 'packages/*/dist/**', 'data/**', 'drizzle/**', 'next-env.d.ts', 'test-results/**', 'bench/results/**', 'vitest.*tmp*.config.ts'],
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['packages/**', 'scripts/**', 'bench/**', 'tests/**'],
    rules: { '@next/next/no-assign-module-variable': 'off' },
  },
  {
    files: ['tests/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];

export default config;

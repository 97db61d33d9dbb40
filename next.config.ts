import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Native / WASM / worker-thread packages are loaded from node_modules at run time, not bundled.
  serverExternalPackages: [
    '@electric-sql/pglite',
    'sharp',
    'pino',
    'pg',
    '@vladmandic/human',
    '@tensorflow/tfjs-backend-wasm',
    '@tensorflow/tfjs-core',
    'rate-limiter-flexible',
    'ioredis',
  ],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: true }, // `npm test` typechecks; the build does not do it twice
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;

// Builds a driver from explicit configuration (env is read in src/env.ts only; index.ts
// maps it to this). A new provider does not compile until it is handled here.
import { LocalStorageDriver, type LocalDriverConfig } from './local.ts';
import { S3StorageDriver, type S3DriverConfig } from './s3.ts';
import type { StorageDriver } from './types.ts';

export type LocalStorageConfig = { provider: 'local' } & Omit<LocalDriverConfig, 'now'>;
export type S3StorageConfig = { provider: 's3' | 'r2' } & Omit<S3DriverConfig, 'provider'>;
export type StorageConfig = LocalStorageConfig | S3StorageConfig;

export function createStorageDriver(config: LocalStorageConfig): LocalStorageDriver;
export function createStorageDriver(config: S3StorageConfig): S3StorageDriver;
export function createStorageDriver(config: StorageConfig): StorageDriver;
export function createStorageDriver(config: StorageConfig): StorageDriver {
  switch (config.provider) {
    case 'local':
      return new LocalStorageDriver(config);
    case 's3':
    case 'r2':
      if (config.provider === 'r2' && !config.endpoint) throw new Error('storage: R2 needs an endpoint (https://<account>.r2.cloudflarestorage.com)');
      return new S3StorageDriver({ ...config, region: config.region || (config.provider === 'r2' ? 'auto' : 'us-east-1') });
    default: {
      const never: never = config;
      throw new Error(`storage: unknown provider ${String((never as { provider?: unknown }).provider)}`);
    }
  }
}

export { LocalStorageDriver } from './local.ts';
export { S3StorageDriver } from './s3.ts';
export { handleLocalStorageRequest } from './local-route.ts';

// Every provider, keyed by id. A Record over ProviderId: adding a provider to PROVIDERS
// without an adapter here does not compile.
import { replicateProvider } from './replicate/adapter.ts';
import type { ProviderAdapter, ProviderId } from './types.ts';
import { webhookWorkerProvider } from './webhook-worker.ts';
import { workerPoolProvider } from './worker-pool.ts';

export const PROVIDER_ADAPTERS: Record<ProviderId, ProviderAdapter> = {
  webhook_worker: webhookWorkerProvider,
  worker_pool: workerPoolProvider,
  replicate: replicateProvider,
};

export type { ProviderAdapter, ProviderId } from './types.ts';

// worker_pool (pull): nothing is pushed. The job waits as `queued` until a worker leases it
// (POST /api/workers/lease); a cancel reaches the worker as `cancel: true` on its next
// heartbeat, so there is nothing to call here either.
import type { ProviderAdapter } from './types.ts';

export const workerPoolProvider: ProviderAdapter = {
  id: 'worker_pool',
  async dispatch() {
    return { kind: 'pull' };
  },
  async cancel() {},
};

// Replicate settings from env. REPLICATE_DESTINATION (the operator's own Replicate model the
// trainings push to, "owner/name") is read through a widened type until env.ts declares it.
import { env } from '@/env';

export interface ReplicateConfig {
  apiBase: string;
  token: string | null;
  webhookSecret: string | null;
  /** Hosts output weights may be copied from: exact names, https only. */
  weightsHosts: string[];
  destination: string | null;
}

export function replicateConfig(): ReplicateConfig {
  const e = env();
  return {
    apiBase: e.REPLICATE_API_BASE.replace(/\/+$/, ''),
    token: e.REPLICATE_API_TOKEN ?? null,
    webhookSecret: e.REPLICATE_WEBHOOK_SECRET ?? null,
    weightsHosts: e.REPLICATE_WEIGHTS_HOSTS.split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean),
    destination: e.REPLICATE_DESTINATION ?? null,
  };
}

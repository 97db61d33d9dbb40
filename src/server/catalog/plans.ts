// Plans and limits are typed data (STYLE.md §7). A new limit is added here and to
// `assertWithinLimit`'s exhaustive switch (src/server/plans/limits.ts) together.
export const LIMIT_NAMES = ['training_jobs_per_month', 'models', 'datasets', 'storage_gb'] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];
export type PlanId = 'free' | 'pro' | 'enterprise';

export interface PlanSeed {
  id: PlanId;
  name: string;
  priceMonthlyUsd: number;
  /** null = unlimited; 0 = not included in the plan. */
  limits: Record<LimitName, number | null>;
}

export const DEFAULT_PRO_JOBS_PER_MONTH = 20;

export function planSeeds(options: { proJobsPerMonth?: number } = {}): PlanSeed[] {
  return [
    { id: 'free', name: 'Free', priceMonthlyUsd: 0, limits: { training_jobs_per_month: 0, models: 3, datasets: 5, storage_gb: 1 } },
    {
      id: 'pro',
      name: 'Pro',
      priceMonthlyUsd: 29,
      limits: {
        training_jobs_per_month: options.proJobsPerMonth ?? DEFAULT_PRO_JOBS_PER_MONTH,
        models: 50,
        datasets: 200,
        storage_gb: 100,
      },
    },
    { id: 'enterprise', name: 'Enterprise', priceMonthlyUsd: 0, limits: { training_jobs_per_month: null, models: null, datasets: null, storage_gb: null } },
  ];
}

'use client';
import { useEffect, useState } from 'react';
import { formatDuration } from '@/components/training/estimate';
import { Progress } from '@/components/ui/progress';
import type { JobView } from '@/server/jobs/schemas';
import { isActiveStatus } from '../status.ts';

const usd = (n: number) => `$${n < 10 ? n.toFixed(2) : n.toFixed(0)}`;

/**
 * Cost so far against the estimate made when the job was created. While a GPU job runs the
 * figure ticks from its start time at the estimate's hourly rate (the server computes the same
 * when the row is read); cpu-reference runs bill no GPU, and the card says so.
 */
export function CostCard({ job }: { job: JobView }) {
  const est = job.estimate;
  const [now, setNow] = useState(() => Date.now());
  const running = isActiveStatus(job.status) && job.started_at !== null;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(Date.now()), 5000);
    return () => clearInterval(t);
  }, [running]);
  if (!est) return null;
  const cpu = job.backend === 'cpu-reference';
  const rate = est.gpu.usd_per_hour * est.gpu.count;
  const live = running && !cpu && job.started_at ? ((now - Date.parse(job.started_at)) / 3_600_000) * rate : null;
  const soFar = live ?? job.cost_so_far_usd ?? 0;
  const pct = est.total_usd > 0 ? Math.min(100, (100 * soFar) / est.total_usd) : 0;
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="job-cost">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span>
          <span className="font-medium" data-testid="cost-so-far">
            {usd(soFar)}
          </span>{' '}
          so far of an estimated <span className="font-medium">{usd(est.total_usd)}</span>
        </span>
        <span className="text-muted-foreground">
          {est.gpu.count}× {est.gpu.label} at {usd(est.gpu.usd_per_hour)}/GPU-hour · about {formatDuration(est.duration_seconds)}
        </span>
      </div>
      <Progress value={pct} aria-label="Cost so far against the estimate" tone={soFar > est.total_usd ? 'destructive' : 'default'} />
      {cpu || job.cost_basis ? <p className="text-xs text-muted-foreground">{job.cost_basis ?? 'cpu-reference runs on the worker’s CPU: no GPU is billed.'}</p> : null}
    </div>
  );
}

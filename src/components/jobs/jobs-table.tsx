'use client';
import { ChevronRight } from 'lucide-react';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import { Progress } from '@/components/ui/progress';
import type { JobView } from '@/server/jobs/schemas';
import { formatDateTime } from './format.ts';
import { isActiveStatus } from './status.ts';
import { JobStatusBadge } from './status-badge.tsx';

const POLL_MS = 3000;

function ProgressCell({ job }: { job: JobView }) {
  const pct = Math.round((job.status === 'succeeded' ? 1 : job.progress) * 100);
  return (
    <div className="flex min-w-32 items-center gap-2">
      <Progress value={pct} tone={job.status === 'failed' ? 'destructive' : job.status === 'succeeded' ? 'success' : 'default'} className="h-1.5" aria-label={`Progress of version ${job.version_number}`} />
      <span className="w-9 text-right text-xs tabular-nums text-muted-foreground">{pct}%</span>
    </div>
  );
}

/**
 * The jobs table. While any listed job is still live it re-reads the same page every few
 * seconds (same filter, same cursor), so statuses and progress move without a reload.
 */
export function JobsTable({
  initial,
  query,
  modelNames,
  baseNames,
}: {
  initial: JobView[];
  query: string;
  modelNames: Record<string, string>;
  baseNames: Record<string, string>;
}) {
  const [rows, setRows] = useState(initial);
  const live = rows.some((j) => isActiveStatus(j.status));

  useEffect(() => {
    if (!live) return;
    let stop = false;
    const t = setInterval(async () => {
      try {
        const page = await apiJson<{ data: JobView[] }>(`/api/lora/jobs?${query}`);
        if (!stop) setRows(page.data);
      } catch {
        /* keep the last rows; the next tick tries again */
      }
    }, POLL_MS);
    return () => {
      stop = true;
      clearInterval(t);
    };
  }, [live, query]);

  return (
    <div className="overflow-x-auto rounded-xl border bg-card">
      <table className="w-full text-sm" data-testid="jobs-table" data-live={live}>
        <thead className="border-b bg-muted/40 text-left text-xs text-muted-foreground">
          <tr>
            <th className="px-4 py-2.5 font-medium">Job</th>
            <th className="px-4 py-2.5 font-medium">Status</th>
            <th className="px-4 py-2.5 font-medium">Progress</th>
            <th className="px-4 py-2.5 font-medium">LoRA</th>
            <th className="px-4 py-2.5 font-medium">Base model</th>
            <th className="px-4 py-2.5 font-medium">Created</th>
            <th className="w-8" />
          </tr>
        </thead>
        <tbody>
          {rows.map((j) => {
            const name = modelNames[j.model_id] ?? 'LoRA';
            return (
              <tr key={j.id} className="border-b last:border-0 hover:bg-muted/30" data-testid="job-row" data-status={j.status}>
                <td className="px-4 py-3">
                  <Link href={`/jobs/${j.id}`} className="font-medium hover:underline">
                    Version {j.version_number}
                  </Link>
                  <div className="font-mono text-[11px] text-muted-foreground">{j.id}</div>
                </td>
                <td className="px-4 py-3">
                  <JobStatusBadge status={j.status} />
                  {j.attempt > 1 ? <div className="mt-1 text-[11px] text-muted-foreground">attempt {j.attempt}</div> : null}
                </td>
                <td className="px-4 py-3">
                  <ProgressCell job={j} />
                </td>
                <td className="px-4 py-3">
                  <Link href={`/loras/${j.model_id}`} className="hover:underline">
                    {name}
                  </Link>
                </td>
                <td className="px-4 py-3 text-muted-foreground">{baseNames[j.base_model] ?? j.base_model}</td>
                <td className="px-4 py-3 whitespace-nowrap text-muted-foreground">
                  <time dateTime={j.created_at}>{formatDateTime(j.created_at)}</time>
                </td>
                <td className="pr-3">
                  <Link href={`/jobs/${j.id}`} aria-label={`Open the job for ${name} version ${j.version_number}`} className="flex justify-end text-muted-foreground hover:text-foreground">
                    <ChevronRight className="size-4" aria-hidden />
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

import Link from 'next/link';
import { cn } from '@/lib/utils';
import { STATUS_LABEL, type JobStatus } from './status.ts';

export interface JobFilter {
  status?: JobStatus;
}

export function jobsHref(f: JobFilter & { cursor?: string }): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.cursor) q.set('cursor', f.cursor);
  const s = q.toString();
  return s ? `/jobs?${s}` : '/jobs';
}

const ORDER: JobStatus[] = ['queued', 'dispatched', 'running', 'cancel_requested', 'succeeded', 'failed', 'canceled'];

/** Filters are links (no JavaScript needed); changing one drops the page cursor. */
export function JobFilters({ filter }: { filter: JobFilter }) {
  const chip = (href: string, active: boolean, label: string) => (
    <Link
      key={label}
      href={href}
      aria-current={active ? 'true' : undefined}
      className={cn(
        'rounded-full border px-3 py-1 text-xs font-medium transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
        active ? 'border-primary bg-accent text-primary' : 'text-muted-foreground',
      )}
    >
      {label}
    </Link>
  );
  return (
    <nav className="mb-4 flex flex-wrap items-center gap-2" aria-label="Filter by status" data-testid="job-filters">
      <span className="text-xs font-medium text-muted-foreground">Status</span>
      {chip('/jobs', !filter.status, 'All')}
      {ORDER.map((s) => chip(jobsHref({ status: s }), filter.status === s, STATUS_LABEL[s]))}
    </nav>
  );
}

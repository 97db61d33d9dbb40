import Link from 'next/link';
import { cn } from '@/lib/utils';
import { STATUS_LABEL } from './status-badges.tsx';
import type { DatasetStatus } from './types.ts';

export interface DatasetFilter {
  status?: DatasetStatus;
  modality?: 'image' | 'text';
  q?: string;
}

export function datasetsHref(f: DatasetFilter & { cursor?: string }): string {
  const q = new URLSearchParams();
  if (f.status) q.set('status', f.status);
  if (f.modality) q.set('modality', f.modality);
  if (f.q) q.set('q', f.q);
  if (f.cursor) q.set('cursor', f.cursor);
  const s = q.toString();
  return s ? `/datasets?${s}` : '/datasets';
}

function Chip({ href, active, children }: { href: string; active: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? 'true' : undefined}
      className={cn(
        'rounded-full border px-3 py-1 text-xs font-medium transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
        active ? 'border-primary bg-accent text-primary' : 'text-muted-foreground',
      )}
    >
      {children}
    </Link>
  );
}

/** Filters are links and the search a GET form (no JavaScript needed); changing one drops the page cursor. */
export function DatasetFilters({ filter }: { filter: DatasetFilter }) {
  const statuses = Object.keys(STATUS_LABEL) as DatasetStatus[];
  return (
    <div className="mb-4 flex flex-wrap items-center gap-x-6 gap-y-3">
      <form role="search" action="/datasets" method="get" className="flex items-center gap-2">
        {filter.status ? <input type="hidden" name="status" value={filter.status} /> : null}
        {filter.modality ? <input type="hidden" name="modality" value={filter.modality} /> : null}
        <label htmlFor="dataset-search" className="sr-only">
          Search datasets
        </label>
        <input
          id="dataset-search"
          name="q"
          type="search"
          defaultValue={filter.q ?? ''}
          maxLength={200}
          placeholder="Search by name or id"
          className="h-8 w-56 rounded-md border bg-background px-3 text-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
          data-testid="dataset-search"
        />
      </form>
      <nav className="flex flex-wrap items-center gap-2" aria-label="Filter by status">
        <span className="text-xs font-medium text-muted-foreground">Status</span>
        <Chip href={datasetsHref({ modality: filter.modality, q: filter.q })} active={!filter.status}>
          All
        </Chip>
        {statuses.map((s) => (
          <Chip key={s} href={datasetsHref({ ...filter, status: s })} active={filter.status === s}>
            {STATUS_LABEL[s]}
          </Chip>
        ))}
      </nav>
      <nav className="flex flex-wrap items-center gap-2" aria-label="Filter by type">
        <span className="text-xs font-medium text-muted-foreground">Type</span>
        <Chip href={datasetsHref({ status: filter.status, q: filter.q })} active={!filter.modality}>
          All
        </Chip>
        <Chip href={datasetsHref({ ...filter, modality: 'image' })} active={filter.modality === 'image'}>
          Images
        </Chip>
        <Chip href={datasetsHref({ ...filter, modality: 'text' })} active={filter.modality === 'text'}>
          Text
        </Chip>
      </nav>
    </div>
  );
}

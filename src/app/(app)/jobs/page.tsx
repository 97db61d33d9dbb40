import { ListChecks } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { JobFilters, jobsHref, type JobFilter } from '@/components/jobs/job-filters';
import { JobsTable } from '@/components/jobs/jobs-table';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { pageContext } from '@/server/auth/page-context';
import { listCatalog } from '@/server/catalog/list';
import { ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { listJobs } from '@/server/jobs/list';
import { ListJobsQuery } from '@/server/jobs/schemas';
import { getModel } from '@/server/models/get';

export const metadata = { title: 'Jobs' };

const PAGE_SIZE = 20;

async function modelNames(ctx: ServiceContext, ids: string[]): Promise<Record<string, string>> {
  const names: Record<string, string> = {};
  for (const id of new Set(ids)) {
    const m = await getModel({ ctx, id }).catch(() => null);
    if (m) names[id] = m.name;
  }
  return names;
}

async function baseNames(ctx: ServiceContext): Promise<Record<string, string>> {
  const [image, text] = await Promise.all([listCatalog({ ctx, input: { modality: 'image' } }), listCatalog({ ctx, input: { modality: 'text' } })]);
  return Object.fromEntries([...image.base_models, ...text.base_models].map((b) => [b.id, b.name]));
}

/** A stale or hand-edited cursor shows the first page instead of an error page. */
async function loadPage(ctx: ServiceContext, input: Omit<ListJobsQuery, 'cursor'>, cursor: string | undefined) {
  try {
    return { page: await listJobs({ ctx, input: { ...input, cursor } }), cursor };
  } catch (err) {
    if (!(err instanceof ValidationError) || !cursor) throw err;
    return { page: await listJobs({ ctx, input }), cursor: undefined };
  }
}

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext('/jobs');
  const sp = await searchParams;
  // Unknown filter values are ignored rather than turned into an error page.
  const status = ListJobsQuery.shape.status.safeParse(sp.status).data;
  const filter: JobFilter = { status };
  const { page, cursor } = await loadPage(ctx, { status, limit: PAGE_SIZE }, typeof sp.cursor === 'string' ? sp.cursor : undefined);
  const [names, bases] = await Promise.all([modelNames(ctx, page.data.map((j) => j.model_id)), baseNames(ctx)]);
  const query = new URLSearchParams({ limit: String(PAGE_SIZE), ...(status ? { status } : {}), ...(cursor ? { cursor } : {}) }).toString();
  return (
    <>
      <PageHeader title="Jobs" description="Training runs on your workers, live." />
      <JobFilters filter={filter} />
      {page.data.length === 0 ? (
        <EmptyState
          icon={ListChecks}
          title={status ? 'No jobs with this status' : cursor ? 'No more jobs' : 'No training jobs yet'}
          description={status ? 'Try another status.' : 'Start training from a LoRA whose dataset passed validation. Jobs show progress, loss and logs live.'}
          action={
            <Button asChild variant="outline">
              <Link href={status || cursor ? '/jobs' : '/loras'}>{status || cursor ? 'Show all jobs' : 'Go to LoRAs'}</Link>
            </Button>
          }
        />
      ) : (
        <JobsTable key={query} initial={page.data} query={query} modelNames={names} baseNames={bases} />
      )}
      {cursor || page.next_cursor ? (
        <nav className="mt-4 flex justify-between" aria-label="Pages">
          {cursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={jobsHref(filter)}>Newest jobs</Link>
            </Button>
          ) : (
            <span />
          )}
          {page.next_cursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={jobsHref({ ...filter, cursor: page.next_cursor })}>Older jobs</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

import { Database } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { DatasetFilters, datasetsHref, type DatasetFilter } from '@/components/datasets/dataset-filters';
import { DatasetTable } from '@/components/datasets/dataset-table';
import { LiveRefresh } from '@/components/datasets/live-refresh';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { pageContext } from '@/server/auth/page-context';
import { ListDatasetsQuery } from '@/server/datasets/schemas';
import { listDatasets } from '@/server/datasets/list';
import { ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { getModel } from '@/server/models/get';

export const metadata = { title: 'Datasets' };

const PAGE_SIZE = 20;

async function modelNames(ctx: ServiceContext, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const id of new Set(ids)) {
    const m = await getModel({ ctx, id }).catch(() => null);
    if (m) names.set(id, m.name);
  }
  return names;
}

/** Validation moves on its own; an upload only while its browser is sending (a stale one would refresh forever). */
function stillMoving(rows: { status: string; updated_at: string }[]): boolean {
  const recent = Date.now() - 15 * 60_000;
  return rows.some((d) => d.status === 'validating' || (d.status === 'uploading' && Date.parse(d.updated_at) > recent));
}

/** A stale or hand-edited cursor shows the first page instead of an error page. */
async function loadPage(ctx: ServiceContext, input: Omit<ListDatasetsQuery, 'cursor'>, cursor: string | undefined) {
  try {
    return { page: await listDatasets({ ctx, input: { ...input, cursor } }), cursor };
  } catch (err) {
    if (!(err instanceof ValidationError) || !cursor) throw err;
    return { page: await listDatasets({ ctx, input }), cursor: undefined };
  }
}

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext('/datasets');
  const sp = await searchParams;
  // Unknown filter values are ignored rather than turned into an error page.
  const status = ListDatasetsQuery.shape.status.safeParse(sp.status).data;
  const modality = ListDatasetsQuery.shape.modality.safeParse(sp.modality).data;
  const q = typeof sp.q === 'string' && sp.q.trim() ? sp.q.trim().slice(0, 200) : undefined;
  const filter: DatasetFilter = { status, modality, q };
  const { page, cursor } = await loadPage(ctx, { status, modality, q, limit: PAGE_SIZE }, typeof sp.cursor === 'string' ? sp.cursor : undefined);
  const names = await modelNames(ctx, page.data.map((d) => d.model_id));
  const filtered = Boolean(status || modality || q);
  const moving = stillMoving(page.data);
  return (
    <>
      <PageHeader title="Datasets" description="Image and text datasets across all your LoRAs." />
      <DatasetFilters filter={filter} />
      <LiveRefresh active={moving} />
      {page.data.length === 0 ? (
        <EmptyState
          icon={Database}
          title={filtered ? 'No datasets match these filters' : cursor ? 'No more datasets' : 'No datasets yet'}
          description={filtered ? 'Try another search, status or type.' : 'Datasets appear here once you upload photos or conversations to a LoRA.'}
          action={
            <Button asChild variant="outline">
              <Link href={filtered || cursor ? '/datasets' : '/loras'}>{filtered || cursor ? 'Show all datasets' : 'Go to LoRAs'}</Link>
            </Button>
          }
        />
      ) : (
        <DatasetTable rows={page.data} modelNames={names} />
      )}
      {cursor || page.next_cursor ? (
        <nav className="mt-4 flex justify-between" aria-label="Pages">
          {cursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={datasetsHref(filter)}>First page</Link>
            </Button>
          ) : (
            <span />
          )}
          {page.next_cursor ? (
            <Button asChild variant="outline" size="sm">
              <Link href={datasetsHref({ ...filter, cursor: page.next_cursor })}>Older datasets</Link>
            </Button>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

import { Boxes } from 'lucide-react';
import Link from 'next/link';
import { EmptyState } from '@/components/empty-state';
import { LoraList } from '@/components/loras/lora-list';
import { NewLoraForm } from '@/components/loras/new-lora-form';
import { PageHeader } from '@/components/shell/page-header';
import { Button } from '@/components/ui/button';
import { pageContext } from '@/server/auth/page-context';
import { ValidationError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { listModels } from '@/server/models/list';

export const metadata = { title: 'LoRAs' };

const PAGE_SIZE = 24;

/** A stale or hand-edited cursor shows the first page instead of an error page. */
async function loadPage(ctx: ServiceContext, cursor: string | undefined) {
  try {
    return { page: await listModels({ ctx, input: { limit: PAGE_SIZE, cursor } }), cursor };
  } catch (err) {
    if (!(err instanceof ValidationError) || !cursor) throw err;
    return { page: await listModels({ ctx, input: { limit: PAGE_SIZE } }), cursor: undefined };
  }
}

export default async function Page({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const ctx = await pageContext('/loras');
  const sp = await searchParams;
  const { page, cursor } = await loadPage(ctx, typeof sp.cursor === 'string' ? sp.cursor : undefined);
  return (
    <>
      <PageHeader title="LoRAs" description="Your identity, style, product and chat LoRAs, with their datasets and versions." />
      <div className="grid items-start gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <section className="order-2 flex flex-col gap-4 lg:order-1" aria-label="LoRAs">
          {page.data.length === 0 ? (
            <EmptyState
              icon={Boxes}
              title={cursor ? 'No more LoRAs' : 'No LoRAs yet'}
              description={cursor ? 'You reached the end of the list.' : 'Create a LoRA with the form, then upload 15–30 photos of one subject on its page.'}
              action={
                cursor ? (
                  <Button asChild variant="outline">
                    <Link href="/loras">Back to the first page</Link>
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <LoraList models={page.data} />
          )}
          {cursor || page.next_cursor ? (
            <nav className="flex justify-between" aria-label="Pages">
              {cursor ? (
                <Button asChild variant="outline" size="sm">
                  <Link href="/loras">First page</Link>
                </Button>
              ) : (
                <span />
              )}
              {page.next_cursor ? (
                <Button asChild variant="outline" size="sm">
                  <Link href={`/loras?cursor=${encodeURIComponent(page.next_cursor)}`}>Older LoRAs</Link>
                </Button>
              ) : null}
            </nav>
          ) : null}
        </section>
        <aside className="order-1 lg:sticky lg:top-8 lg:order-2">
          <NewLoraForm />
        </aside>
      </div>
    </>
  );
}

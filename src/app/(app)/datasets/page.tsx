import { Database } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { pageContext } from '@/server/auth/page-context';

export const metadata = { title: 'Datasets' };

export default async function Page() {
  await pageContext('/datasets');
  return (
    <>
      <PageHeader title="Datasets" description="Image and text datasets across all your LoRAs." />
      <EmptyState icon={Database} title="No datasets yet" description="Datasets appear here once you upload photos or conversations to a LoRA." />
    </>
  );
}

import { ListChecks } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { pageContext } from '@/server/auth/page-context';

export const metadata = { title: 'Jobs' };

export default async function Page() {
  await pageContext('/jobs');
  return (
    <>
      <PageHeader title="Jobs" description="Training runs on your workers, live." />
      <EmptyState icon={ListChecks} title="No training jobs yet" description="Start training from a LoRA whose dataset passed validation. Jobs show progress, loss and logs live." />
    </>
  );
}

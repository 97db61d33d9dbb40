import { Gauge } from 'lucide-react';
import { EmptyState } from '@/components/empty-state';
import { PageHeader } from '@/components/shell/page-header';
import { pageContext } from '@/server/auth/page-context';

export const metadata = { title: 'Usage' };

export default async function Page() {
  await pageContext('/usage');
  return (
    <>
      <PageHeader title="Usage" description="Training jobs, GPU time and cost against your plan and budget." />
      <EmptyState icon={Gauge} title="No usage yet" description="Your training jobs, GPU seconds and costs will show up here." />
    </>
  );
}

import { notFound } from 'next/navigation';
import { JobMonitor } from '@/components/jobs/monitor/job-monitor';
import { pageContext } from '@/server/auth/page-context';
import { listCatalog } from '@/server/catalog/list';
import { NotFoundError } from '@/server/errors';
import { getJob } from '@/server/jobs/get';
import { getModel } from '@/server/models/get';

export const metadata = { title: 'Training job' };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext(`/jobs/${id}`);
  const job = await getJob({ ctx, id }).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  // A deleted LoRA's job still shows; it just loses its name.
  const model = await getModel({ ctx, id: job.model_id }).catch(() => null);
  const catalog = await listCatalog({ ctx, input: { modality: model?.modality ?? 'image' } });
  const baseName = catalog.base_models.find((b) => b.id === job.base_model)?.name ?? job.base_model;
  return <JobMonitor key={job.id} initial={job} modelName={model?.name ?? 'Deleted LoRA'} baseName={baseName} modality={model?.modality ?? 'image'} />;
}

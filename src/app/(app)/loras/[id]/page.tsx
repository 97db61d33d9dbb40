import { notFound } from 'next/navigation';
import { LoraHeader } from '@/components/loras/lora-header';
import { LoraStudio } from '@/components/loras/lora-studio';
import { TextLoraStudio } from '@/components/text-datasets/text-lora-studio';
import { pageContext } from '@/server/auth/page-context';
import { listCatalog } from '@/server/catalog/list';
import { KIND_LIMITS } from '@/server/datasets/images/config';
import { getDataset } from '@/server/datasets/get';
import { listDatasets } from '@/server/datasets/list';
import { NotFoundError } from '@/server/errors';
import { getModel } from '@/server/models/get';

export const metadata = { title: 'LoRA' };

export default async function LoraPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await pageContext(`/loras/${id}`);
  const model = await getModel({ ctx, id }).catch((err: unknown) => {
    if (err instanceof NotFoundError) notFound();
    throw err;
  });
  if (model.modality !== 'image') {
    // The newest conversation file is the one this page shows; uploading another makes a new dataset.
    const [latestText] = (await listDatasets({ ctx, input: { model_id: model.id, modality: 'text', limit: 1 } })).data;
    const textCatalog = await listCatalog({ ctx, input: { modality: 'text' } });
    return (
      <div className="max-w-6xl">
        <LoraHeader model={model} />
        <TextLoraStudio model={model} initialDataset={latestText ?? null} bases={textCatalog.base_models} />
      </div>
    );
  }
  // The newest image dataset is the one this page works on; "add photos" appends to it.
  const [latest] = (await listDatasets({ ctx, input: { model_id: model.id, modality: 'image', limit: 1 } })).data;
  const dataset = latest ? await getDataset({ ctx, id: latest.id }) : null;
  const catalog = await listCatalog({ ctx, input: { modality: 'image' } });
  const kind = model.kind === 'chat' ? 'identity' : model.kind;
  return (
    <div className="max-w-6xl">
      <LoraHeader model={model} />
      <LoraStudio model={model} initialDataset={dataset} catalog={catalog} limits={KIND_LIMITS[kind]} />
    </div>
  );
}

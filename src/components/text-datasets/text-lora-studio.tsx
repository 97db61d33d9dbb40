'use client';
import { ArrowRight, FileJson } from 'lucide-react';
import { useCallback, useState } from 'react';
import type { DatasetView } from '@/components/datasets/types';
import { LoraTabsList } from '@/components/loras/lora-tabs-list';
import { VersionsPanel } from '@/components/loras/versions-panel';
import { Button } from '@/components/ui/button';
import { TextTrainingPanel } from '@/components/text-training/text-training-panel';
import { Tabs, TabsContent } from '@/components/ui/tabs';
import type { BaseModelOption } from '@/server/catalog/list';
import type { ModelView } from '@/server/models/schemas';
import { TextDatasetPanel, textReportOf } from './text-dataset-panel.tsx';

/** A chat LoRA's page: conversations (upload + report) / training configurator / versions. */
export function TextLoraStudio({
  model,
  initialDataset,
  bases,
}: {
  model: ModelView;
  initialDataset: DatasetView | null;
  bases: BaseModelOption[];
}) {
  const [dataset, setDataset] = useState<DatasetView | null>(initialDataset);
  const [tab, setTab] = useState('dataset');
  const onDataset = useCallback((v: DatasetView | null) => setDataset(v), []);
  const report = textReportOf(dataset);
  const ready = dataset?.status === 'ready';
  return (
    <Tabs value={tab} onValueChange={setTab}>
      <LoraTabsList dataIcon={FileJson} dataLabel="Conversations" count={report ? report.stats.conversations.toLocaleString('en') : null} ready={ready} />
      <TabsContent value="dataset" forceMount className="data-[state=inactive]:hidden">
        <TextDatasetPanel modelId={model.id} bases={bases.map((b) => ({ id: b.id, name: b.name, contextLength: b.context_length }))} dataset={dataset} onDataset={onDataset} />
        <div className="mt-5 flex flex-wrap items-center justify-between gap-3 border-t pt-4 text-sm">
          <span className="text-muted-foreground">
            {ready ? 'The conversations are validated: configure the training next.' : 'Training starts once a conversation file has validated.'}
          </span>
          <Button type="button" variant={ready ? 'default' : 'outline'} onClick={() => setTab('training')}>
            Continue to training <ArrowRight aria-hidden />
          </Button>
        </div>
      </TabsContent>
      <TabsContent value="training">
        <TextTrainingPanel
          model={{ id: model.id, name: model.name }}
          dataset={dataset ? { id: dataset.id, status: dataset.status, quality_report: dataset.quality_report } : null}
          bases={bases.map((b) => ({ id: b.id, name: b.name, contextLength: b.context_length, throughput: b.throughput }))}
          initialBaseModel={dataset?.base_model ?? undefined}
        />
      </TabsContent>
      <TabsContent value="versions">
        <VersionsPanel modelId={model.id} modelName={model.name} />
      </TabsContent>
    </Tabs>
  );
}

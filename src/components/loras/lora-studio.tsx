'use client';
import { ArrowRight, Images } from 'lucide-react';
import { useCallback, useRef, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import { DatasetPanel } from '@/components/datasets/dataset-panel';
import { reportOf, type DatasetView } from '@/components/datasets/types';
import { Button } from '@/components/ui/button';
import { Tabs, TabsContent } from '@/components/ui/tabs';
import type { Catalog } from '@/server/catalog/list';
import type { ModelView } from '@/server/models/schemas';
import { guidanceFor, type ImageKind, type KindLimits } from './kind-guidance.ts';
import { LoraTabsList } from './lora-tabs-list.tsx';
import { ModelTargetPickers } from './model-target-pickers.tsx';
import { trainingReadiness } from './readiness.ts';
import { TrainingPanel } from './training-panel.tsx';
import { VersionsPanel } from './versions-panel.tsx';

const STALE_REFRESH_MS = 60_000;
const VERDICT_TEXT = { pass: 'passed', warn: 'passed with warnings', block: 'blocked' } as const;

/** The LoRA page's working area: base model and target, then Dataset / Training / Versions. */
export function LoraStudio({ model, initialDataset, catalog, limits }: { model: ModelView; initialDataset: DatasetView | null; catalog: Catalog; limits: KindLimits }) {
  const [dataset, setDataset] = useState<DatasetView | null>(initialDataset);
  const [baseModel, setBaseModel] = useState(() => reportOf(initialDataset)?.base_model.id ?? catalog.base_models[0]?.id ?? 'flux-dev');
  const [target, setTarget] = useState<string | null>(null);
  const [tab, setTab] = useState('dataset');
  const [validating, setValidating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  const lastRefresh = useRef(0);

  const onCommitted = useCallback((view: DatasetView) => {
    setDataset(view);
    setError(null);
  }, []);

  const validate = async () => {
    if (!dataset) return;
    setValidating(true);
    setError(null);
    try {
      setDataset(await apiJson<DatasetView>('/api/lora/datasets/validate', { method: 'POST', json: { dataset_id: dataset.id, base_model: baseModel } }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setValidating(false);
    }
  };

  const remove = async (itemId: string) => {
    if (!dataset) return;
    setRemoving((s) => new Set(s).add(itemId));
    setError(null);
    try {
      setDataset(await apiJson<DatasetView>(`/api/lora/datasets/${dataset.id}/items/${itemId}`, { method: 'DELETE' }));
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setRemoving((s) => {
        const next = new Set(s);
        next.delete(itemId);
        return next;
      });
    }
  };

  // Thumbnail URLs are signed for 15 minutes; a page left open past that re-reads the
  // dataset (at most once a minute) to get fresh ones.
  const onStale = useCallback(() => {
    if (!dataset || Date.now() - lastRefresh.current < STALE_REFRESH_MS) return;
    lastRefresh.current = Date.now();
    apiJson<DatasetView>(`/api/lora/datasets/${dataset.id}`).then(setDataset, () => undefined);
  }, [dataset]);

  const kind: ImageKind = model.kind === 'chat' ? 'identity' : model.kind;
  const readiness = trainingReadiness(dataset, validating);
  const base = catalog.base_models.find((b) => b.id === baseModel);
  const baseName = base?.name ?? baseModel;
  const targetName = catalog.target_platforms.find((p) => p.id === target)?.name ?? 'Not chosen yet';
  const count = dataset?.items?.length ?? 0;

  return (
    <div className="flex flex-col gap-6">
      <ModelTargetPickers
        bases={catalog.base_models}
        platforms={catalog.target_platforms}
        baseModel={baseModel}
        target={target}
        onBaseModel={setBaseModel}
        onTarget={setTarget}
        disabled={validating}
      />
      <Tabs value={tab} onValueChange={setTab}>
        <LoraTabsList dataIcon={Images} dataLabel="Dataset" count={String(count)} ready={readiness.ok} />
        <TabsContent value="dataset" forceMount className="data-[state=inactive]:hidden">
          <DatasetPanel
            modelId={model.id}
            dataset={dataset}
            guidance={guidanceFor(kind, limits)}
            baseModel={{ id: baseModel, name: baseName }}
            baseNames={new Map(catalog.base_models.map((b) => [b.id, b.name]))}
            validating={validating}
            error={error}
            removing={removing}
            onCommitted={onCommitted}
            onValidate={() => void validate()}
            onRemove={(id) => void remove(id)}
            onStale={onStale}
            next={
              <div className="flex flex-wrap items-center justify-between gap-3 border-t pt-4 text-sm">
                <span className="text-muted-foreground">{readiness.ok ? readiness.note : readiness.reason}</span>
                <Button type="button" variant={readiness.ok ? 'default' : 'outline'} onClick={() => setTab('training')}>
                  Continue to training <ArrowRight aria-hidden />
                </Button>
              </div>
            }
          />
        </TabsContent>
        <TabsContent value="training">
          {base ? (
            <TrainingPanel
              readiness={readiness}
              base={base}
              input={dataset ? { modelId: model.id, datasetId: dataset.id, baseModel, targetPlatform: target } : null}
              summary={[
                { label: 'Dataset', value: count === 0 ? 'No photos yet' : `${count} photos · ${dataset?.verdict ? VERDICT_TEXT[dataset.verdict] : 'not validated'}` },
                { label: 'Trainable Base Model', value: baseName },
                { label: 'Target Platform', value: targetName },
              ]}
            />
          ) : null}
        </TabsContent>
        <TabsContent value="versions">
          <VersionsPanel modelId={model.id} modelName={model.name} />
        </TabsContent>
      </Tabs>
    </div>
  );
}

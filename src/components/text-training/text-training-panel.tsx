'use client';
import { CircleCheck, Loader2, Play } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { ConsentBox } from '@/components/training/consent-box';
import { StartProblemAlert } from '@/components/training/start-problem';
import { AdvancedSettings } from './advanced-settings.tsx';
import { EstimateCard } from './estimate-card.tsx';
import type { TextBaseOption } from './form.ts';
import { PresetCards } from './preset-cards.tsx';
import { RunOptions } from './run-options.tsx';
import { useTextEstimate } from './use-text-estimate.ts';
import { useTextTrainingForm } from './use-text-training-form.ts';

export interface TextTrainingPanelProps {
  model: { id: string; name: string };
  /** The LoRA's conversation dataset (DatasetView fields), or null before one is uploaded. */
  dataset: { id: string; status: string; quality_report: Record<string, unknown> | null } | null;
  /** Enabled text bases from the catalog (BASE_MODELS entries fit as they are). */
  bases: TextBaseOption[];
  /** Base to preselect (e.g. the one the dataset was validated against); default the first. */
  initialBaseModel?: string;
}

function readiness(dataset: TextTrainingPanelProps['dataset']): { ok: boolean; reason: string } {
  if (!dataset) return { ok: false, reason: 'Upload and validate a conversation dataset first.' };
  if (dataset.quality_report?.verdict === 'rejected') return { ok: false, reason: 'The quality report rejected this dataset; fix the file and upload it again.' };
  if (dataset.status !== 'ready') return { ok: false, reason: `The dataset is ${dataset.status}; training can start once it is ready.` };
  return { ok: true, reason: 'Ready to train on the validated dataset.' };
}

/**
 * The text LoRA configurator: preset, advanced settings, base model and GPU, a live cost and
 * duration estimate, consent, and Start training (enabled only for a ready dataset with consent
 * given; the server checks both again). Success opens the job monitor.
 */
export function TextTrainingPanel({ model, dataset, bases, initialBaseModel }: TextTrainingPanelProps) {
  const ready = readiness(dataset);
  const form = useTextTrainingForm(bases, { modelId: model.id, datasetId: ready.ok && dataset ? dataset.id : null }, initialBaseModel);
  const est = useTextEstimate(form.estimate.body);
  const canStart = ready.ok && form.base !== null && form.consent && !form.hasErrors && !form.submitting;
  const why = !ready.ok ? ready.reason : form.hasErrors ? 'Fix the highlighted settings first.' : !form.consent ? 'Tick the consent statement to start.' : ready.reason;
  return (
    <Card data-testid="text-training-panel">
      <CardHeader>
        <CardTitle>Train {model.name}</CardTitle>
        <CardDescription>Pick a preset, adjust it if you need to, and choose the GPU. The estimate follows every change.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <PresetCards value={form.preset} onChange={form.setPreset} modified={form.modified} disabled={form.submitting} />
        <AdvancedSettings values={form.values} onChange={form.setField} errors={form.errors} warnings={form.warnings} modified={form.modified} onReset={form.resetToPreset} disabled={form.submitting} />
        <RunOptions
          bases={bases}
          base={form.base}
          onBase={form.setBaseId}
          gpuType={form.gpuType}
          onGpuType={form.setGpuType}
          gpuCount={form.gpuCount}
          onGpuCount={form.setGpuCount}
          tokens={form.tokens}
          onTokens={form.setTokens}
          askTokens={!ready.ok}
          disabled={form.submitting}
        />
        <EstimateCard estimate={est.estimate} lastGood={est.lastGood} loading={est.loading} error={est.error} reason={form.estimate.reason} />
        <ConsentBox modality="text" checked={form.consent} onChange={form.setConsent} disabled={form.submitting} />
        {form.problem ? <StartProblemAlert problem={form.problem} /> : null}
      </CardContent>
      <CardFooter className="flex-wrap gap-3">
        <Button type="button" onClick={() => void form.submit()} disabled={!canStart} aria-describedby="start-text-training-why" data-testid="start-text-training">
          {form.submitting ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
          {form.submitting ? 'Starting…' : 'Start training'}
        </Button>
        <p id="start-text-training-why" className="flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="start-text-training-why">
          {canStart ? <CircleCheck className="size-4 text-success" aria-hidden /> : null}
          {why}
        </p>
      </CardFooter>
    </Card>
  );
}

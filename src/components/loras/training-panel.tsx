'use client';
import { CircleCheck, Loader2, Play } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { ConsentBox } from '@/components/training/consent-box';
import { EstimateNote } from '@/components/training/estimate-note';
import { parseParam } from '@/components/training/params';
import { ParamsSection } from '@/components/training/params-section';
import { StartProblemAlert } from '@/components/training/start-problem';
import { useTrainingForm, type TrainingTarget } from '@/components/training/use-training-form';
import type { BaseModelOption } from '@/server/catalog/list';
import type { Readiness } from './readiness.ts';

export type StartTrainingInput = TrainingTarget;

/**
 * The Training tab: the base model's preset with advanced overrides, an estimated time, the
 * consent statement, and "Start training" — enabled only when the dataset verdict allows
 * training AND consent is given (the server checks both again). Success opens the monitor.
 */
export function TrainingPanel({
  readiness,
  input,
  base,
  summary,
}: {
  readiness: Readiness;
  input: StartTrainingInput | null;
  base: BaseModelOption;
  summary: { label: string; value: string }[];
}) {
  const form = useTrainingForm(base, input);
  const canStart = readiness.ok && Boolean(input) && form.consent && !form.hasErrors && !form.submitting;
  const why = !readiness.ok
    ? readiness.reason
    : form.hasErrors
      ? 'Fix the highlighted settings first.'
      : !form.consent
        ? 'Tick the consent statement to start.'
        : readiness.note;
  return (
    <Card data-testid="training-panel">
      <CardHeader>
        <CardTitle>Training</CardTitle>
        <CardDescription>Train a new version of this LoRA on the validated dataset. Each run makes a version with its own weights, checksum and settings.</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-5">
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          {summary.map((s) => (
            <div key={s.label} className="rounded-lg border bg-muted/30 p-3">
              <dt className="text-xs text-muted-foreground">{s.label}</dt>
              <dd className="mt-0.5 font-medium">{s.value}</dd>
            </div>
          ))}
        </dl>
        <ParamsSection base={base} values={form.values} errors={form.errors} modified={form.modified} onChange={form.setValue} onReset={form.reset} disabled={form.submitting} />
        <EstimateNote steps={parseParam(form.values.steps)} throughput={base.throughput} />
        <ConsentBox checked={form.consent} onChange={form.setConsent} disabled={form.submitting} />
        {form.problem ? <StartProblemAlert problem={form.problem} /> : null}
      </CardContent>
      <CardFooter className="flex-wrap gap-3">
        <Button type="button" onClick={() => void form.submit()} disabled={!canStart} aria-describedby="start-training-why" data-testid="start-training">
          {form.submitting ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
          {form.submitting ? 'Starting…' : 'Start training'}
        </Button>
        <p id="start-training-why" className="flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="start-training-why">
          {canStart ? <CircleCheck className="size-4 text-success" aria-hidden /> : null}
          {why}
        </p>
      </CardFooter>
    </Card>
  );
}

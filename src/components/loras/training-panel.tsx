'use client';
import { CircleCheck, Info, Play } from 'lucide-react';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import type { Readiness } from './readiness.ts';

export interface StartTrainingInput {
  modelId: string;
  datasetId: string;
  baseModel: string;
  targetPlatform: string | null;
}

/**
 * The training section. For now it only gates the button: the training form (presets,
 * advanced fields, consent, estimate) and the call to POST /api/lora/jobs arrive with the
 * jobs work.
 * TODO(jobs): pass `onStartTraining` from LoraStudio (or replace this card with the
 * training form) and remove the "not wired yet" message. No fake success in the meantime.
 */
export function TrainingPanel({
  readiness,
  input,
  summary,
  onStartTraining,
}: {
  readiness: Readiness;
  input: StartTrainingInput | null;
  summary: { label: string; value: string }[];
  onStartTraining?: (input: StartTrainingInput) => void | Promise<void>;
}) {
  const [message, setMessage] = useState<string | null>(null);
  const start = async () => {
    if (!readiness.ok || !input) return;
    if (!onStartTraining) {
      setMessage('Training is not wired yet: the training form and job monitor arrive with the jobs work. Your dataset is ready for it.');
      return;
    }
    await onStartTraining(input);
  };
  return (
    <Card data-testid="training-panel">
      <CardHeader>
        <CardTitle>Training</CardTitle>
        <CardDescription>
          Training arrives with the jobs work: presets per base model, advanced settings, consent and a live job monitor will appear here.
        </CardDescription>
      </CardHeader>
      <CardContent className="flex flex-col gap-4">
        <dl className="grid gap-3 text-sm sm:grid-cols-3">
          {summary.map((s) => (
            <div key={s.label} className="rounded-lg border bg-muted/30 p-3">
              <dt className="text-xs text-muted-foreground">{s.label}</dt>
              <dd className="mt-0.5 font-medium">{s.value}</dd>
            </div>
          ))}
        </dl>
        {message ? (
          <Alert data-testid="training-message" className="flex items-start gap-2">
            <Info className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
            {message}
          </Alert>
        ) : null}
      </CardContent>
      <CardFooter className="flex-wrap gap-3">
        <Button type="button" onClick={() => void start()} disabled={!readiness.ok} aria-describedby="start-training-why" data-testid="start-training">
          <Play aria-hidden /> Start training
        </Button>
        <p id="start-training-why" className="flex items-center gap-1.5 text-sm text-muted-foreground" data-testid="start-training-why">
          {readiness.ok ? <CircleCheck className="size-4 text-success" aria-hidden /> : null}
          {readiness.ok ? readiness.note : readiness.reason}
        </p>
      </CardFooter>
    </Card>
  );
}

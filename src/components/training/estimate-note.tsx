import { Clock } from 'lucide-react';
import { estimateByGpu, formatDuration } from './estimate.ts';

/** The estimated duration, always labelled as one, plus what the local reference worker does. */
export function EstimateNote({ steps, throughput }: { steps: number | undefined; throughput: Record<string, number> }) {
  const est = estimateByGpu(steps, throughput);
  const fastest = est[0];
  const slowest = est.at(-1);
  return (
    <div className="flex items-start gap-2.5 rounded-lg border bg-muted/30 p-3 text-sm" data-testid="training-estimate">
      <Clock className="mt-0.5 size-4 shrink-0 text-primary" aria-hidden />
      <div className="flex flex-col gap-1">
        <p>
          <span className="font-medium">Estimated time: </span>
          {fastest && slowest ? (
            <>
              about {fastest.seconds === slowest.seconds ? formatDuration(fastest.seconds) : `${formatDuration(fastest.seconds)}–${formatDuration(slowest.seconds)}`} on one GPU
              <span className="text-muted-foreground">
                {' '}
                ({fastest.gpu}
                {est.length > 1 ? ` to ${slowest.gpu}` : ''}; {steps?.toLocaleString('en')} steps × the base model&apos;s planning figure, batch 1 at 1024 px). An estimate, not a promise.
              </span>
            </>
          ) : (
            <span className="text-muted-foreground">enter a number of steps to see one.</span>
          )}
        </p>
        <p className="text-muted-foreground">
          On the local <code className="text-xs">cpu-reference</code> worker (the one <code className="text-xs">npm start</code> runs) a run finishes in seconds: it trains a tiny
          stand-in model to exercise the whole pipeline, not the real base model.
        </p>
      </div>
    </div>
  );
}

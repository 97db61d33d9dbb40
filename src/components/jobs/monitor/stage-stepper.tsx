import { Check, Loader2, X } from 'lucide-react';
import { cn } from '@/lib/utils';
import { STEPS, stepStates } from '../status.ts';

const DOT = {
  complete: 'border-success bg-success text-white',
  current: 'border-primary bg-primary/10 text-primary',
  upcoming: 'border-border bg-background text-muted-foreground',
  failed: 'border-destructive bg-destructive text-white',
} as const;

const STATE_TEXT = { complete: 'done', current: 'in progress', upcoming: 'not started', failed: 'stopped here' } as const;

/** queued → dispatched → training → uploading → verifying → done, with where a failed run stopped. */
export function StageStepper({ status, stage, furthest }: { status: string; stage: string; furthest: number }) {
  const states = stepStates(status, stage, furthest);
  return (
    <ol className="flex flex-wrap items-center gap-y-3" aria-label="Job stages" data-testid="stage-stepper">
      {STEPS.map((step, i) => {
        const st = states[i]!;
        return (
          <li key={step.id} className="flex items-center" data-step={step.id} data-state={st} aria-current={st === 'current' ? 'step' : undefined}>
            <span className={cn('flex size-6 items-center justify-center rounded-full border text-xs font-medium', DOT[st])} aria-hidden>
              {st === 'complete' ? <Check className="size-3.5" /> : st === 'failed' ? <X className="size-3.5" /> : st === 'current' ? <Loader2 className="size-3.5 animate-spin" /> : i + 1}
            </span>
            <span className={cn('ml-2 text-sm', st === 'upcoming' ? 'text-muted-foreground' : 'font-medium', st === 'failed' && 'text-destructive')}>
              {step.label}
              <span className="sr-only"> ({STATE_TEXT[st]})</span>
            </span>
            {i < STEPS.length - 1 ? <span className={cn('mx-3 h-px w-6 sm:w-10', states[i + 1] === 'upcoming' ? 'bg-border' : 'bg-success')} aria-hidden /> : null}
          </li>
        );
      })}
    </ol>
  );
}

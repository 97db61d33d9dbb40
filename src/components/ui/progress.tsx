'use client';
import * as ProgressPrimitive from '@radix-ui/react-progress';
import * as React from 'react';
import { cn } from '@/lib/utils';

type Tone = 'default' | 'success' | 'destructive';

const TONE: Record<Tone, string> = { default: 'bg-primary', success: 'bg-success', destructive: 'bg-destructive' };

/** A determinate bar; `value` is 0–100 (Radix exposes it as aria-valuenow). */
export function Progress({ className, value, tone = 'default', ...props }: React.ComponentProps<typeof ProgressPrimitive.Root> & { tone?: Tone }) {
  const pct = value === null || value === undefined ? null : Math.max(0, Math.min(100, Math.round(value)));
  return (
    <ProgressPrimitive.Root value={pct} className={cn('relative h-2 w-full overflow-hidden rounded-full bg-secondary', className)} {...props}>
      <ProgressPrimitive.Indicator
        className={cn('h-full w-full transition-transform duration-200 ease-out', TONE[tone])}
        style={{ transform: `translateX(-${100 - (pct ?? 0)}%)` }}
      />
    </ProgressPrimitive.Root>
  );
}

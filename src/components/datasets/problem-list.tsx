import { CircleX, TriangleAlert } from 'lucide-react';
import { cn } from '@/lib/utils';
import type { Problem } from './types.ts';

/** Findings with their fix, most severe first (the engine already sorts them). */
export function ProblemList({ problems, className }: { problems: readonly Problem[]; className?: string }) {
  if (problems.length === 0) return null;
  return (
    <ul className={cn('flex flex-col gap-2', className)}>
      {problems.map((p, i) => (
        <li key={`${p.code}-${i}`} className="flex gap-2 text-sm" data-code={p.code} data-severity={p.severity}>
          {p.severity === 'block' ? (
            <CircleX className="mt-0.5 size-4 shrink-0 text-destructive" aria-label="Blocking" />
          ) : (
            <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-label="Warning" />
          )}
          <div className="min-w-0">
            <p className="break-words">{p.message}</p>
            <p className="text-xs text-muted-foreground">
              <span className="font-medium text-foreground/80">Fix:</span> {p.hint}
            </p>
          </div>
        </li>
      ))}
    </ul>
  );
}

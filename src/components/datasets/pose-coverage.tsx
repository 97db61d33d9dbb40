import { Check, Minus } from 'lucide-react';
import { cn } from '@/lib/utils';
import type { QualityReport } from './types.ts';

const POSES = [
  ['frontal', 'Frontal'],
  ['left', 'Turned left'],
  ['right', 'Turned right'],
  ['up', 'Looking up'],
  ['down', 'Looking down'],
] as const;

/** One chip per pose bucket: present (with its count) or missing. */
export function PoseCoverage({ coverage }: { coverage: NonNullable<QualityReport['pose_coverage']> }) {
  return (
    <div>
      <h4 className="mb-2 text-sm font-medium">Pose coverage</h4>
      <ul className="flex flex-wrap gap-2" aria-label="Pose coverage" data-testid="pose-coverage">
        {POSES.map(([bucket, label]) => {
          const n = coverage.counts[bucket] ?? 0;
          const present = n > 0;
          return (
            <li
              key={bucket}
              data-pose={bucket}
              data-present={present ? 'true' : 'false'}
              className={cn(
                'inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-xs font-medium',
                present ? 'border-success/40 bg-success/10 text-success' : 'border-dashed text-muted-foreground',
              )}
            >
              {present ? <Check className="size-3.5" aria-hidden /> : <Minus className="size-3.5" aria-hidden />}
              {label}
              <span className="tabular-nums opacity-80">{present ? `· ${n}` : '· missing'}</span>
            </li>
          );
        })}
      </ul>
      {coverage.missing.some((b) => b === 'left' || b === 'right') ? (
        <p className="mt-2 text-xs text-muted-foreground">The LoRA learns to turn the head only from photos where it is turned: add a few to each side.</p>
      ) : null}
    </div>
  );
}

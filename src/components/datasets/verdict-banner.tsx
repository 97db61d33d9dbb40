import { CircleX, ShieldCheck, TriangleAlert } from 'lucide-react';
import { cn } from '@/lib/utils';
import { ProblemList } from './problem-list.tsx';
import type { QualityReport } from './types.ts';

const LOOK = {
  pass: { box: 'border-success/40 bg-success/10', icon: ShieldCheck, iconCls: 'text-success', title: 'Ready to train', sub: 'Every check passed.' },
  warn: {
    box: 'border-warning/60 bg-warning/10',
    icon: TriangleAlert,
    iconCls: 'text-amber-600',
    title: 'Ready to train, with warnings',
    sub: 'Training is allowed. Fixing these first usually gives a better LoRA.',
  },
  block: {
    box: 'border-destructive/40 bg-destructive/5',
    icon: CircleX,
    iconCls: 'text-destructive',
    title: 'Blocked: fix these before training',
    sub: 'Training stays disabled until the dataset validates without blocking problems.',
  },
} as const;

/** The verdict and every reason behind it, each with its fix. */
export function VerdictBanner({ report }: { report: QualityReport }) {
  const look = LOOK[report.verdict];
  const Icon = look.icon;
  return (
    <section role="status" aria-label={`Verdict: ${report.verdict}`} data-testid="verdict-banner" data-verdict={report.verdict} className={cn('rounded-xl border p-4', look.box)}>
      <div className="flex items-start gap-3">
        <Icon className={cn('mt-0.5 size-6 shrink-0', look.iconCls)} aria-hidden />
        <div>
          <h3 className="font-semibold">{look.title}</h3>
          <p className="text-sm text-muted-foreground">{look.sub}</p>
        </div>
      </div>
      {report.problems.length > 0 ? (
        <ProblemList problems={report.problems} className="mt-3 border-t border-foreground/10 pt-3" />
      ) : report.reasons.length > 0 ? (
        <ul className="mt-3 list-disc pl-9 text-sm">
          {report.reasons.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

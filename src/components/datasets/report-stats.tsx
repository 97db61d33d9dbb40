import { cn } from '@/lib/utils';
import type { QualityReport } from './types.ts';

type Tone = 'ok' | 'warn' | 'bad' | 'plain';
const TONE: Record<Tone, string> = { ok: 'text-success', warn: 'text-amber-600', bad: 'text-destructive', plain: 'text-foreground' };

function Stat({ label, value, sub, tone, testId }: { label: string; value: number; sub: string; tone: Tone; testId: string }) {
  return (
    <div className="rounded-lg border bg-card p-3">
      <dt className="text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className={cn('text-2xl font-semibold tabular-nums', TONE[tone])} data-testid={testId}>
        {value}
      </dd>
      <dd className="text-xs text-muted-foreground">{sub}</dd>
    </div>
  );
}

/** Usable, rejected and distinct photos against the kind's limits. */
export function ReportStats({ counts }: { counts: QualityReport['counts'] }) {
  const { limits } = counts;
  const range = `${limits.recommended_min}–${limits.recommended_max}`;
  const countTone = (n: number): Tone => (n < limits.min || n > limits.max ? 'bad' : n < limits.recommended_min || n > limits.recommended_max ? 'warn' : 'ok');
  return (
    <dl className="grid grid-cols-2 gap-3 md:grid-cols-4">
      <Stat label="Usable" value={counts.usable} sub={`at least ${limits.min}, ${range} best`} tone={countTone(counts.usable)} testId="count-usable" />
      <Stat label="Distinct" value={counts.distinct} sub="near-duplicates count once" tone={counts.distinct < limits.min ? 'bad' : counts.distinct < counts.usable ? 'warn' : 'ok'} testId="count-distinct" />
      <Stat label="Rejected" value={counts.rejected} sub="left out of training" tone={counts.rejected > 0 ? 'bad' : 'plain'} testId="count-rejected" />
      <Stat label="Uploaded" value={counts.total} sub={`at most ${limits.max}`} tone={counts.total > limits.max ? 'bad' : 'plain'} testId="count-total" />
    </dl>
  );
}

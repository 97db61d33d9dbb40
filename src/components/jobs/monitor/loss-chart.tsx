'use client';
import { LineChart as ChartIcon } from 'lucide-react';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint } from './stream-state.ts';

const fmtLoss = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : v.toPrecision(3));

/**
 * Loss (and validation loss when the worker reports it) by step, for the current attempt.
 * Straight segments between reported points: each point is already a window mean, and a
 * smoothed curve would draw values nobody measured. No animation: points appear as they come.
 */
export function LossChart({ points, attempt }: { points: MetricPoint[]; attempt: number }) {
  const hasVal = points.some((p) => p.val_loss !== undefined);
  if (points.length === 0) {
    return (
      <div className="flex h-64 flex-col items-center justify-center gap-2 rounded-lg border border-dashed text-sm text-muted-foreground" data-testid="loss-chart-empty">
        <ChartIcon className="size-5" aria-hidden />
        The loss curve appears here as soon as the worker reports its first steps.
      </div>
    );
  }
  const last = points.at(-1)!;
  return (
    <figure className="flex flex-col gap-1" data-testid="loss-chart" data-points={points.length}>
      <LineChart responsive style={{ width: '100%', height: 260 }} data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 12 }} />
        <YAxis tickFormatter={fmtLoss} width={52} tick={{ fontSize: 12 }} domain={['auto', 'auto']} />
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toFixed(4) : String(v))} labelFormatter={(s) => `Step ${s}`} />
        {hasVal ? <Legend /> : null}
        <Line type="linear" dataKey="loss" name="Loss" stroke="var(--primary)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        {hasVal ? <Line type="linear" dataKey="val_loss" name="Validation loss" stroke="var(--warning)" strokeWidth={2} dot={false} isAnimationActive={false} connectNulls /> : null}
      </LineChart>
      <figcaption className="text-xs text-muted-foreground">
        {points.length} points{attempt > 1 ? ` · attempt ${attempt}` : ''} · latest at step {last.step.toLocaleString('en')}
        {last.loss !== undefined ? `: loss ${last.loss.toFixed(4)}` : ''}
      </figcaption>
    </figure>
  );
}

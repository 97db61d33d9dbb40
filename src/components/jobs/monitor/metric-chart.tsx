'use client';
import { CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricPoint } from './stream-state.ts';

type SeriesKey = Exclude<keyof MetricPoint, 'step'>;

export interface Series {
  key: SeriesKey;
  name: string;
  color: string;
  /** Right-hand axis (e.g. GPU % next to tokens/s). */
  right?: boolean;
}

const fmt = (v: number) => (v === 0 ? '0' : Math.abs(v) < 0.01 ? v.toExponential(1) : Math.abs(v) >= 1000 ? `${(v / 1000).toPrecision(3)}k` : v.toPrecision(3));

/** One or two reported series by step; says plainly when the worker sends none. */
export function MetricChart({ points, series, empty, testId }: { points: MetricPoint[]; series: Series[]; empty: string; testId: string }) {
  const shown = series.filter((s) => points.some((p) => p[s.key] !== undefined));
  if (shown.length === 0) {
    return (
      <p className="flex h-40 items-center justify-center rounded-lg border border-dashed px-4 text-center text-sm text-muted-foreground" data-testid={`${testId}-empty`}>
        {empty}
      </p>
    );
  }
  const data = points.filter((p) => shown.some((s) => p[s.key] !== undefined));
  const right = shown.some((s) => s.right);
  return (
    <figure data-testid={testId} data-points={data.length}>
      <LineChart responsive style={{ width: '100%', height: 200 }} data={data} margin={{ top: 8, right: right ? 0 : 16, bottom: 4, left: 0 }}>
        <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
        <XAxis dataKey="step" type="number" domain={['dataMin', 'dataMax']} allowDecimals={false} tick={{ fontSize: 12 }} />
        <YAxis yAxisId="left" tickFormatter={fmt} width={52} tick={{ fontSize: 12 }} domain={['auto', 'auto']} />
        {right ? <YAxis yAxisId="right" orientation="right" tickFormatter={fmt} width={40} tick={{ fontSize: 12 }} domain={[0, 100]} /> : null}
        <Tooltip formatter={(v) => (typeof v === 'number' ? v.toPrecision(4) : String(v))} labelFormatter={(s) => `Step ${s}`} />
        {shown.length > 1 ? <Legend /> : null}
        {shown.map((s) => (
          <Line key={s.key} yAxisId={s.right ? 'right' : 'left'} type="linear" dataKey={s.key} name={s.name} stroke={s.color} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
        ))}
      </LineChart>
    </figure>
  );
}

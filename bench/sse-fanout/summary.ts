// Turning per-event, per-subscriber latencies and memory samples into RESULTS.md rows.
import { fmt, median, percentile } from '../webhook-ingest/report.ts';
import type { MemorySample } from './memory.ts';

export interface LatencySummary {
  delivered: number;
  p50: number;
  p99: number;
  max: number;
  /** Median over events of the fastest subscriber's latency. */
  firstMedian: number;
  /** Median over events of the slowest subscriber's latency: the time to reach everyone. */
  lastMedian: number;
  lastWorst: number;
}

/** latencies[event][subscriber] in ms; NaN = never arrived. */
export function summarize(latencies: number[][]): LatencySummary {
  const perEvent = latencies.map((l) => l.filter(Number.isFinite));
  const all = perEvent.flat();
  const firsts = perEvent.filter((l) => l.length > 0).map((l) => Math.min(...l));
  const lasts = perEvent.filter((l) => l.length > 0).map((l) => Math.max(...l));
  return {
    delivered: all.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: percentile(all, 100),
    firstMedian: median(firsts),
    lastMedian: median(lasts),
    lastWorst: percentile(lasts, 100),
  };
}

export function latencyRows(rows: [string, LatencySummary][]): string[] {
  const ms = (n: number) => fmt(n, n < 10 ? 3 : 1);
  return rows.map(([name, s]) => `| ${name} | ${s.delivered.toLocaleString('en-US')} | ${ms(s.p50)} | **${ms(s.p99)}** | ${ms(s.max)} | ${ms(s.firstMedian)} | ${ms(s.lastMedian)} | ${ms(s.lastWorst)} |`);
}

export function memoryRow(name: string, before: MemorySample, after: MemorySample, n: number): string {
  const kb = (d: number) => `${fmt(d / n / 1024, 1)} KB`;
  return `| ${name} | **${kb(after.rss - before.rss)}** | ${kb(after.heapUsed - before.heapUsed)} | ${kb(after.external - before.external)} |`;
}

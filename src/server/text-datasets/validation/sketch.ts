import type { Distribution } from './report-schema.ts';

// Streaming quantiles for non-negative integers (token counts) in constant memory: values
// below 128 are counted exactly; larger ones fall in logarithmic buckets of ratio 1.02, so a
// reported percentile is within 1 % of the true value (the DDSketch idea). ~1,000 buckets
// cover up to 10^9. Min, max, count and mean are exact.

const LINEAR = 128;
const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export class QuantileSketch {
  private counts = new Float64Array(1024);
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;

  add(v: number): void {
    const b = v < LINEAR ? v : LINEAR + Math.floor(Math.log(v / LINEAR) / LOG_GAMMA);
    if (b >= this.counts.length) {
      const next = new Float64Array(Math.max(b + 1, this.counts.length * 2));
      next.set(this.counts);
      this.counts = next;
    }
    this.counts[b]!++;
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
  }

  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = q * (this.count - 1);
    let seen = 0;
    for (let b = 0; b < this.counts.length; b++) {
      seen += this.counts[b]!;
      if (seen > rank) {
        if (b < LINEAR) return b;
        // geometric middle of the bucket [LINEAR·γ^k, LINEAR·γ^(k+1)), clamped to what was seen
        const mid = LINEAR * Math.pow(GAMMA, b - LINEAR + 0.5);
        return Math.min(this.max, Math.max(this.min, Math.round(mid)));
      }
    }
    return this.max;
  }

  summary(): Distribution {
    if (this.count === 0) return { count: 0, min: 0, max: 0, mean: 0, p50: 0, p90: 0, p99: 0 };
    return {
      count: this.count,
      min: this.min,
      max: this.max,
      mean: Math.round((this.sum / this.count) * 10) / 10,
      p50: this.quantile(0.5),
      p90: this.quantile(0.9),
      p99: this.quantile(0.99),
    };
  }
}

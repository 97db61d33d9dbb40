'use client';
import { Calculator, CircleAlert, Loader2, TriangleAlert } from 'lucide-react';
import { formatDuration } from '@/components/training/estimate';
import { cn } from '@/lib/utils';
import { textParamWarnings } from '@/server/catalog/text-presets';
import type { TextEstimate } from '@/server/jobs/schemas';

export const formatUsd = (x: number) => (x === 0 ? '$0.00' : x < 0.01 ? '< $0.01' : `$${x.toFixed(2)}`);
const n = (x: number) => Math.round(x).toLocaleString('en');

/** Warnings the advanced fields do not already show inline (memory, warm-up vs. run length). */
function runWarnings(e: TextEstimate) {
  const inline = new Set(textParamWarnings(e.params).map((w) => w.message));
  return e.warnings.filter((w) => !inline.has(w.message));
}

/**
 * The estimate for the current form: while a newer one loads, or when it fails, the last good
 * one stays visible but dimmed and labelled, so the numbers never silently belong to other
 * settings.
 */
export function EstimateCard({ estimate, lastGood, loading, error, reason }: { estimate: TextEstimate | null; lastGood: TextEstimate | null; loading: boolean; error: string | null; reason: string | null }) {
  const shown = estimate ?? (reason ? null : lastGood);
  const stale = !estimate && shown !== null;
  return (
    <section className="flex flex-col gap-3 rounded-lg border bg-muted/30 p-4 text-sm" data-testid="text-estimate" aria-live="polite" aria-busy={loading}>
      <header className="flex items-center justify-between gap-2">
        <h4 className="flex items-center gap-2 font-medium">
          <Calculator className="size-4 text-primary" aria-hidden /> Estimate
        </h4>
        {loading ? (
          <span className="flex items-center gap-1.5 text-xs text-muted-foreground" data-testid="estimate-loading">
            <Loader2 className="size-3.5 animate-spin" aria-hidden /> Updating…
          </span>
        ) : null}
      </header>
      {reason ? <p className="text-muted-foreground">{reason}</p> : null}
      {error ? (
        <p className="flex items-start gap-1.5 text-destructive" data-testid="estimate-error">
          <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden /> {error}
        </p>
      ) : null}
      {!shown && !reason && !error ? <p className="text-muted-foreground">Calculating…</p> : null}
      {shown ? (
        <div className={cn('flex flex-col gap-3', stale && 'opacity-60')}>
          {stale ? <p className="text-xs text-muted-foreground">{loading ? 'Previous settings, updating:' : 'For earlier settings:'}</p> : null}
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            <div>
              <dt className="text-xs text-muted-foreground">Total</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid="estimate-total">
                {formatUsd(shown.total_usd)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-muted-foreground">Duration</dt>
              <dd className="font-medium tabular-nums" data-testid="estimate-duration">
                about {formatDuration(shown.duration_seconds)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-muted-foreground">Compute + storage</dt>
              <dd className="tabular-nums">
                {formatUsd(shown.compute_usd)} + {formatUsd(shown.storage_usd)}
              </dd>
            </div>
            <div>
              <dt className="text-xs text-muted-foreground">Throughput</dt>
              <dd className="tabular-nums">{n(shown.tokens_per_second)} tokens/s</dd>
            </div>
          </dl>
          <p className="text-muted-foreground">
            {n(shown.tokens_per_epoch)} tokens × {shown.epochs} epoch{shown.epochs === 1 ? '' : 's'} = {n(shown.total_tokens)} tokens on {shown.gpu.count} × {shown.gpu.label} at {formatUsd(shown.gpu.usd_per_hour)}/GPU-hour
            {shown.optimizer_steps !== null ? `, ${n(shown.optimizer_steps)} optimizer steps` : ''}.
          </p>
          {shown.token_count_method === 'sample-extrapolated' ? (
            <p className="text-xs" data-testid="estimate-sampled">
              Token counts are sample-extrapolated: an exact tokenizer ran on a sample of the dataset and the rest was scaled.
            </p>
          ) : null}
          {runWarnings(shown).map((w) => (
            <p key={w.message} className="flex items-start gap-1.5 text-xs text-amber-700" role="note" data-testid="estimate-warning">
              <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden /> {w.message}
            </p>
          ))}
          <details className="text-xs text-muted-foreground">
            <summary className="cursor-pointer select-none">How this is estimated</summary>
            <ul className="mt-2 list-disc space-y-1 pl-4">
              {shown.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </details>
          <p className="text-xs text-muted-foreground">Planning figures, not a quote: the bill uses the GPU time the run actually takes.</p>
        </div>
      ) : null}
    </section>
  );
}

'use client';
import { AlertTriangle } from 'lucide-react';
import { CopyButton } from '@/components/loras/copy-button';
import { cn } from '@/lib/utils';
import { SOURCE_STYLE, type BlockSource, type CompileResult } from './types.ts';

function Legend() {
  return (
    <ul className="flex flex-wrap gap-2 text-xs" aria-label="Block sources">
      {(Object.keys(SOURCE_STYLE) as BlockSource[]).map((s) => (
        <li key={s} className={cn('rounded px-1.5 py-0.5 ring-1', SOURCE_STYLE[s].className)}>
          {SOURCE_STYLE[s].label}
        </li>
      ))}
    </ul>
  );
}

/**
 * The final prompt exactly as compiled: each block is a highlighted span, blocks separated
 * by the blank line the compiler joins them with, so what is shown is what is copied.
 */
export function CompiledView({ result }: { result: CompileResult }) {
  return (
    <section className="flex flex-col gap-3" aria-labelledby="final-prompt-title" data-testid="compiled">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="final-prompt-title" className="text-sm font-semibold">
          Final prompt <span className="font-normal text-muted-foreground">(read-only: change the inputs, not the output)</span>
        </h2>
        <div className="flex items-center gap-2">
          <Legend />
          <CopyButton text={result.final} label="Copy the final prompt" />
        </div>
      </div>
      <div className="whitespace-pre-wrap break-words rounded-lg border bg-background p-4 font-mono text-sm leading-relaxed" data-testid="final-prompt">
        {result.blocks.map((b, i) => (
          <span key={b.id}>
            {i > 0 ? '\n\n' : null}
            <span
              data-testid="prompt-block"
              data-block-id={b.id}
              data-source={b.source}
              title={`${b.label} · ${SOURCE_STYLE[b.source].label}`}
              className={cn('rounded px-0.5 ring-1', SOURCE_STYLE[b.source].className)}
            >
              {b.text}
            </span>
          </span>
        ))}
      </div>
      <ol className="flex flex-wrap gap-1.5 text-xs text-muted-foreground" aria-label="Block order">
        {result.blocks.map((b, i) => (
          <li key={b.id}>
            {i + 1}. {b.label}
          </li>
        ))}
      </ol>
      {result.negative_prompt ? (
        <div className="text-sm">
          <div className="flex items-center gap-2 font-medium">
            Negative prompt <CopyButton text={result.negative_prompt} label="Copy the negative prompt" />
          </div>
          <p className="mt-1 rounded-md border bg-muted/30 px-3 py-2 font-mono" data-testid="negative-prompt">
            {result.negative_prompt}
          </p>
        </div>
      ) : null}
      {result.warnings.length ? (
        <ul className="flex flex-col gap-1 text-sm" data-testid="compile-warnings">
          {result.warnings.map((w) => (
            <li key={w} className="flex items-start gap-2 text-amber-800">
              <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden /> {w}
            </li>
          ))}
        </ul>
      ) : null}
      {result.structured_request ? <StructuredRequest request={result.structured_request} /> : null}
    </section>
  );
}

function StructuredRequest({ request }: { request: Record<string, unknown> }) {
  const text = JSON.stringify(request, null, 2);
  return (
    <details className="rounded-lg border text-sm" data-testid="structured-request">
      <summary className="cursor-pointer px-4 py-2 font-medium">API request ({String(request.kind)})</summary>
      <div className="flex justify-end px-2">
        <CopyButton text={text} label="Copy the request" />
      </div>
      <pre className="overflow-x-auto px-4 pb-4 font-mono text-xs">{text}</pre>
    </details>
  );
}

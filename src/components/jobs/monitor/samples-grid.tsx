'use client';
import { ImageIcon } from 'lucide-react';
import { useCallback, useEffect, useRef, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import type { JobSamples } from '@/server/jobs/schemas';

type Sample = JobSamples['data'][number];

const REFRESH_FLOOR_MS = 30_000;

/**
 * Samples by step, newest attempt last. The URLs are short-lived: a new sample event or an
 * image that stops loading (its URL lapsed) reads the list again, at most every 30 s for the latter.
 */
export function SamplesGrid({ jobId, seen, attempt, every }: { jobId: string; seen: number; attempt: number; every: number }) {
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const lastLoad = useRef(0);

  const load = useCallback(async () => {
    lastLoad.current = Date.now();
    try {
      setSamples((await apiJson<JobSamples>(`/api/lora/jobs/${jobId}/samples`)).data);
      setError(null);
    } catch (err) {
      setError((err as Error).message);
    }
  }, [jobId]);

  useEffect(() => {
    // Debounced: a burst of sample events during replay is one request.
    const t = setTimeout(() => void load(), seen === 0 ? 0 : 400);
    return () => clearTimeout(t);
  }, [seen, load]);

  const onStale = () => {
    if (Date.now() - lastLoad.current > REFRESH_FLOOR_MS) void load();
  };

  if (error) return <p className="text-sm text-destructive">Samples could not be loaded: {error}</p>;
  if (samples === null) return <p className="text-sm text-muted-foreground">Loading samples…</p>;
  if (samples.length === 0) {
    return (
      <div className="flex flex-col items-center gap-2 rounded-lg border border-dashed p-6 text-center text-sm text-muted-foreground" data-testid="samples-empty">
        <ImageIcon className="size-5" aria-hidden />
        {every > 0
          ? `No samples yet: the worker renders one every ${every.toLocaleString('en')} steps.`
          : 'This run renders no samples. Set “Sample every” in the training form’s advanced settings to get them next time.'}
      </div>
    );
  }
  return (
    <ul className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="samples-grid">
      {samples.map((s) => (
        <li key={s.event_id} className="overflow-hidden rounded-lg border bg-muted/20" data-testid="sample" data-step={s.step}>
          {s.content_type.startsWith('image/') ? (
            <a href={s.url} target="_blank" rel="noreferrer" className="block focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring">
              {/* eslint-disable-next-line @next/next/no-img-element -- signed storage URL, not an optimisable asset */}
              <img src={s.url} alt={`Sample at step ${s.step}`} loading="lazy" onError={onStale} className="aspect-[3/4] w-full bg-muted object-contain [image-rendering:pixelated]" />
            </a>
          ) : (
            <a href={s.url} target="_blank" rel="noreferrer" className="block p-4 text-sm underline">
              Open the text sample
            </a>
          )}
          <div className="px-3 py-2 text-xs">
            <p className="font-medium">
              Step {s.step.toLocaleString('en')}
              {s.attempt !== attempt ? <span className="text-muted-foreground"> · attempt {s.attempt}</span> : null}
            </p>
            {s.prompt ? <p className="mt-0.5 text-muted-foreground">{s.prompt}</p> : null}
          </div>
        </li>
      ))}
    </ul>
  );
}

'use client';
import { useEffect, useState } from 'react';
import { ApiError, apiJson } from '@/components/datasets/api';
import type { TextEstimate } from '@/server/jobs/schemas';
import type { EstimateBody } from './form.ts';

export const ESTIMATE_DEBOUNCE_MS = 400;

interface Answer {
  key: string;
  estimate: TextEstimate | null;
  error: string | null;
}

/**
 * POST /api/lora/jobs/estimate for the form's current body, debounced. A newer body cancels the
 * request in flight. The last good estimate stays on screen (marked stale) while the next one
 * loads or when it fails, so the card never flickers to empty.
 */
export function useTextEstimate(body: EstimateBody | null, delayMs = ESTIMATE_DEBOUNCE_MS) {
  const key = body ? JSON.stringify(body) : null;
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [lastGood, setLastGood] = useState<TextEstimate | null>(null);

  useEffect(() => {
    if (!key) return;
    const controller = new AbortController();
    const timer = setTimeout(async () => {
      try {
        const estimate = await apiJson<TextEstimate>('/api/lora/jobs/estimate', { method: 'POST', json: JSON.parse(key), signal: controller.signal });
        if (controller.signal.aborted) return;
        setAnswer({ key, estimate, error: null });
        setLastGood(estimate);
      } catch (err) {
        if (controller.signal.aborted) return;
        setAnswer({ key, estimate: null, error: err instanceof ApiError || err instanceof Error ? err.message : 'The estimate failed.' });
      }
    }, delayMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key, delayMs]);

  const current = key && answer?.key === key ? answer : null;
  return {
    /** The estimate for exactly this form, or null while it loads / when it failed. */
    estimate: current?.estimate ?? null,
    /** The last estimate that succeeded, for any earlier form state. */
    lastGood,
    loading: key !== null && current === null,
    error: current?.error ?? null,
  };
}

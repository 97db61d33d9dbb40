'use client';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { ApiError } from '@/components/datasets/api';
import { describeStartError, IdempotencyKeys, startJob, type StartJobBody, type StartProblem } from './start-job.ts';

/**
 * Starting a job from a training form (image or text): one Idempotency-Key per intent, the
 * monitor on success, field messages from a 422 handed back to the form, and a plain problem
 * for every other refusal.
 */
export function useStartJob<F>(fieldErrorsOf: (details: unknown) => { fields: F; other: string[] }, onFieldErrors: (fields: F) => void) {
  const router = useRouter();
  const [submitting, setSubmitting] = useState(false);
  const [problem, setProblem] = useState<(StartProblem & { details?: string[] }) | null>(null);
  const keys = useRef(new IdempotencyKeys());

  const start = async (body: StartJobBody) => {
    setSubmitting(true);
    setProblem(null);
    try {
      const job = await startJob(body, keys.current.keyFor(body));
      router.push(`/jobs/${job.id}`);
      // Stay "submitting" while the monitor loads, so a second click cannot happen.
    } catch (err) {
      setSubmitting(false);
      if (err instanceof ApiError && err.status === 422) {
        const { fields, other } = fieldErrorsOf(err.details);
        onFieldErrors(fields);
        setProblem({ ...describeStartError(err), details: other });
        return;
      }
      if (err instanceof ApiError && err.status === 409 && (err.details as { job_id?: string } | undefined)?.job_id) keys.current.forget();
      setProblem(describeStartError(err));
    }
  };
  return { submitting, problem, start };
}

'use client';
import { RotateCw, Square } from 'lucide-react';
import { useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import type { JobDetail } from '@/server/jobs/schemas';
import { ConfirmButton } from '../confirm-dialog.tsx';

/** Cancel (while it can still be stopped) and retry (after a failure or a cancel), each confirmed. */
export function JobActions({ job, onChanged }: { job: JobDetail; onChanged: (d: JobDetail) => void }) {
  const [error, setError] = useState<string | null>(null);
  const act = (verb: 'cancel' | 'retry') => async () => {
    setError(null);
    try {
      onChanged(await apiJson<JobDetail>(`/api/lora/jobs/${job.id}/${verb}`, { method: 'POST', json: {} }));
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const canCancel = job.status === 'queued' || job.status === 'dispatched' || job.status === 'running';
  const canRetry = job.status === 'failed' || job.status === 'canceled';
  return (
    <div className="flex flex-col items-end gap-1">
      <div className="flex gap-2">
        {canCancel ? (
          <ConfirmButton
            variant="outline"
            trigger={
              <>
                <Square aria-hidden /> Cancel job
              </>
            }
            title="Cancel this training job?"
            description={
              job.status === 'queued'
                ? 'It has not started yet; it stops at once and version ' + job.version_number + ' is marked failed.'
                : 'The worker is asked to stop; it confirms within a few seconds. Steps done so far are discarded. You can retry later.'
            }
            confirmLabel="Cancel job"
            dismissLabel="Keep training"
            destructive
            onConfirm={act('cancel')}
            data-testid="cancel-job"
          />
        ) : null}
        {canRetry ? (
          <ConfirmButton
            trigger={
              <>
                <RotateCw aria-hidden /> Retry
              </>
            }
            title="Run this job again?"
            description={`It starts over as attempt ${job.attempt + 1} with the same settings and dataset. Unless the failure was on our side, it counts as a training run this month.`}
            confirmLabel="Retry"
            onConfirm={act('retry')}
            data-testid="retry-job"
          />
        ) : null}
      </div>
      {error ? (
        <p className="text-sm text-destructive" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}

import { CircleAlert, CircleSlash } from 'lucide-react';
import { Alert } from '@/components/ui/alert';
import type { JobView } from '@/server/jobs/schemas';

/** Why a job stopped: the machine code, the readable cause and the trainer's last lines. */
export function JobError({ job, failureReason }: { job: JobView; failureReason: string | null }) {
  if (job.status !== 'failed' && job.status !== 'canceled') return null;
  const canceled = job.status === 'canceled';
  const message = job.error?.message ?? (canceled ? 'Training was canceled; nothing was kept from this run. Retry to run it again.' : (failureReason ?? 'The job failed.'));
  const Icon = canceled ? CircleSlash : CircleAlert;
  return (
    <Alert variant={canceled ? 'default' : 'destructive'} className="flex items-start gap-2" data-testid="job-error">
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <div className="flex min-w-0 flex-col gap-1">
        <p className="font-medium">
          {canceled ? 'Canceled' : 'Failed'}
          {job.error ? <code className="ml-2 text-xs font-normal">{job.error.code}</code> : null}
        </p>
        <p className="text-foreground">{message}</p>
        {job.error?.last_lines && job.error.last_lines.length > 0 ? (
          <pre className="mt-1 max-h-40 overflow-auto rounded-md bg-zinc-950 p-2 text-xs text-zinc-100">{job.error.last_lines.join('\n')}</pre>
        ) : null}
      </div>
    </Alert>
  );
}

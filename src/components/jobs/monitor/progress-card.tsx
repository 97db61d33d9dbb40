import { formatDuration } from '@/components/training/estimate';
import { Progress } from '@/components/ui/progress';
import { isActiveStatus } from '../status.ts';
import type { MonitorState } from './stream-state.ts';

const STAGE_TEXT: Record<string, string> = {
  queued: 'Waiting for a worker',
  preparing: 'Preparing',
  downloading: 'Downloading the dataset',
  training: 'Training',
  uploading: 'Uploading the weights',
  verifying: 'Verifying the artifact',
  finalizing: 'Finalizing',
  done: 'Finished',
};

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="rounded-lg border bg-muted/30 px-3 py-2">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="mt-0.5 font-medium tabular-nums" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

const SIG3 = new Intl.NumberFormat('en', { maximumSignificantDigits: 3 });
const sci = (n: number | undefined) => (n === undefined ? '–' : n < 0.01 ? n.toExponential(2) : n.toPrecision(3));

/** Progress with ETA (the worker's, else from the step rate), and the latest learning figures. */
export function ProgressCard({ state, unit = 'samples' }: { state: MonitorState; unit?: 'samples' | 'tokens' }) {
  const { job, latest, etaSeconds, epoch } = state;
  const pct = Math.round((job.status === 'succeeded' ? 1 : job.progress) * 100);
  const active = isActiveStatus(job.status);
  const tone = job.status === 'failed' ? 'destructive' : job.status === 'succeeded' ? 'success' : 'default';
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-col gap-2">
        <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
          <span className="font-medium">{active ? (STAGE_TEXT[job.stage] ?? job.stage) : job.status === 'succeeded' ? 'Finished and verified' : 'Stopped'}</span>
          <span className="tabular-nums text-muted-foreground" data-testid="job-step">
            {epoch ? <span data-testid="job-epoch">Epoch {epoch.epoch}{epoch.total ? ` of ${epoch.total}` : ''} · </span> : null}
            {job.total_steps ? `Step ${(job.step ?? 0).toLocaleString('en')} of ${job.total_steps.toLocaleString('en')} · ` : ''}
            {pct}%
            {active && etaSeconds !== null && job.stage === 'training' ? <span data-testid="job-eta"> · about {formatDuration(etaSeconds)} left</span> : null}
          </span>
        </div>
        <Progress value={pct} tone={tone} aria-label="Training progress" data-testid="job-progress" />
      </div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-5">
        <Stat label="Loss" value={latest?.loss === undefined ? '–' : latest.loss.toFixed(4)} testId="stat-loss" />
        <Stat label="Learning rate" value={sci(latest?.learning_rate)} testId="stat-lr" />
        <Stat label="Throughput" value={latest?.throughput === undefined ? '–' : `${SIG3.format(latest.throughput)} ${unit}/s`} testId="stat-throughput" />
        <Stat label="Grad norm" value={latest?.grad_norm === undefined ? '–' : latest.grad_norm.toFixed(3)} testId="stat-grad-norm" />
        <Stat
          label="GPU utilisation"
          value={latest?.gpu_util === undefined ? (job.backend === 'cpu-reference' ? 'no GPU (CPU run)' : '–') : `${Math.round(latest.gpu_util)} %${latest.vram_mb !== undefined ? ` · ${(latest.vram_mb / 1024).toFixed(1)} GB` : ''}`}
          testId="stat-gpu"
        />
      </dl>
    </div>
  );
}

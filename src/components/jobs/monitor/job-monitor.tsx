'use client';
import { ArrowLeft, Radio } from 'lucide-react';
import Link from 'next/link';
import { formatDate } from '@/components/loras/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { cn } from '@/lib/utils';
import type { JobDetail } from '@/server/jobs/schemas';
import { JobStatusBadge } from '../status-badge.tsx';
import { CheckpointsList } from './checkpoints-list.tsx';
import { CostCard } from './cost-card.tsx';
import { JobActions } from './job-actions.tsx';
import { JobError } from './job-error.tsx';
import { LogsPanel } from './logs-panel.tsx';
import { LossChart } from './loss-chart.tsx';
import { MetricChart } from './metric-chart.tsx';
import { ProgressCard } from './progress-card.tsx';
import { SamplesGrid } from './samples-grid.tsx';
import { StageStepper } from './stage-stepper.tsx';
import { useJobStream, type Connection } from './use-job-stream.ts';
import { VersionCard } from './version-card.tsx';

const CONNECTION_TEXT: Record<Connection, string> = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', ended: 'Finished' };

function ConnectionDot({ connection }: { connection: Connection }) {
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-muted-foreground" data-testid="stream-connection" data-state={connection}>
      <Radio className={cn('size-3.5', connection === 'live' && 'text-success', connection === 'reconnecting' && 'text-amber-600')} aria-hidden />
      {CONNECTION_TEXT[connection]}
    </span>
  );
}

/** The job monitor: everything live from one SSE stream, the row re-read on each status change. */
export function JobMonitor({ initial, modelName, baseName, modality = 'image' }: { initial: JobDetail; modelName: string; baseName: string; modality?: 'image' | 'text' }) {
  const { state, detail, connection, replaceJob } = useJobStream(initial);
  const job = { ...detail, ...state.job };
  const every = (key: string) => (typeof detail.version.params[key] === 'number' ? (detail.version.params[key] as number) : 0);
  const succeeded = job.status === 'succeeded' && detail.version.status === 'ready';
  return (
    <div className="flex max-w-6xl flex-col gap-6" data-testid="job-monitor" data-status={job.status}>
      <header>
        <Link href="/jobs" className="mb-3 inline-flex items-center gap-1 text-sm text-muted-foreground hover:text-foreground">
          <ArrowLeft className="size-4" aria-hidden /> All jobs
        </Link>
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div>
            <div className="flex flex-wrap items-center gap-3">
              <h1 className="text-2xl font-semibold tracking-tight">
                {modelName} · version {job.version_number}
              </h1>
              <JobStatusBadge status={job.status} />
              <ConnectionDot connection={connection} />
            </div>
            <p className="mt-1 text-sm text-muted-foreground">
              <Link href={`/loras/${job.model_id}`} className="hover:underline">
                Open the LoRA
              </Link>{' '}
              · {baseName} · {job.backend ?? 'backend not chosen yet'} · attempt {job.attempt} of {job.max_attempts} · created{' '}
              <time dateTime={job.created_at}>{formatDate(job.created_at)}</time> · <span className="font-mono text-xs">{job.id}</span>
            </p>
          </div>
          <JobActions job={job} onChanged={replaceJob} />
        </div>
      </header>

      {succeeded ? <VersionCard job={detail} baseName={baseName} /> : null}
      <JobError job={job} failureReason={detail.version.failure_reason} />

      <Card>
        <CardContent className="flex flex-col gap-6 p-6">
          <StageStepper status={job.status} stage={job.stage} furthest={state.furthest} />
          <ProgressCard state={{ ...state, job }} unit={modality === 'text' ? 'tokens' : 'samples'} />
          <CostCard job={job} />
        </CardContent>
      </Card>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Loss</CardTitle>
            <CardDescription>Training {state.metrics.some((p) => p.val_loss !== undefined) ? 'and validation ' : ''}loss by step, live from the worker.</CardDescription>
          </CardHeader>
          <CardContent>
            <LossChart points={state.metrics} attempt={state.attempt} />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Log</CardTitle>
            <CardDescription>Follows new lines; scroll up to stop following.</CardDescription>
          </CardHeader>
          <CardContent>
            <LogsPanel jobId={job.id} lines={state.logs} droppedBefore={state.logsDroppedBefore} />
          </CardContent>
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader>
            <CardTitle>Learning rate</CardTitle>
            <CardDescription>The schedule as the worker applied it (warm-up, then decay).</CardDescription>
          </CardHeader>
          <CardContent>
            <MetricChart points={state.metrics} series={[{ key: 'learning_rate', name: 'Learning rate', color: 'var(--primary)' }]} empty="The worker has not reported a learning rate yet." testId="lr-chart" />
          </CardContent>
        </Card>
        <Card>
          <CardHeader>
            <CardTitle>Throughput{state.metrics.some((p) => p.gpu_util !== undefined) ? ' and GPU utilisation' : ''}</CardTitle>
            <CardDescription>{modality === 'text' ? 'Tokens' : 'Samples'} per second{job.backend === 'cpu-reference' ? '; a cpu-reference run has no GPU to report' : ', and GPU utilisation when the worker reports it'}.</CardDescription>
          </CardHeader>
          <CardContent>
            <MetricChart
              points={state.metrics}
              series={[
                { key: 'throughput', name: modality === 'text' ? 'Tokens/s' : 'Samples/s', color: 'var(--primary)' },
                { key: 'gpu_util', name: 'GPU %', color: 'var(--warning)', right: true },
              ]}
              empty="Throughput appears here once the worker reports it."
              testId="throughput-chart"
            />
          </CardContent>
        </Card>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Samples</CardTitle>
          <CardDescription>What the LoRA produces at each sampling step.</CardDescription>
        </CardHeader>
        <CardContent>
          <SamplesGrid jobId={job.id} seen={state.samples} attempt={state.attempt} every={every('sample_every')} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Checkpoints</CardTitle>
          <CardDescription>Intermediate weights saved during this attempt.</CardDescription>
        </CardHeader>
        <CardContent>
          <CheckpointsList checkpoints={state.checkpoints} every={every('save_every')} />
        </CardContent>
      </Card>
    </div>
  );
}

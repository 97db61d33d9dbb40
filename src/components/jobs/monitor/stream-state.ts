// What the monitor knows about a job, built from the SSE stream (GET …/events) one event at a
// time. Pure: the hook feeds it batches; tests feed it recorded events.
//
// Invariants: events are applied at most once and in id order (ids only grow; anything at or
// below lastEventId is a replay and skipped). The chart shows one attempt — the newest one
// seen — because a re-queued job starts training from scratch. Logs keep every attempt.
import type { JobView } from '@/server/jobs/schemas';
import { stepIndexOf } from '../status.ts';

export interface StreamEvent {
  id: number;
  attempt: number;
  seq: number;
  type: 'status' | 'progress' | 'metrics' | 'log' | 'checkpoint' | 'sample';
  payload: Record<string, unknown>;
  created_at: string;
}

export interface MetricPoint {
  step: number;
  loss?: number;
  val_loss?: number;
  learning_rate?: number;
  /** Samples/s (image) or tokens/s (text). */
  throughput?: number;
  /** Percent, when the worker has a GPU to report. */
  gpu_util?: number;
}

export interface LatestFigures {
  step: number;
  loss?: number;
  learning_rate?: number;
  throughput?: number;
  grad_norm?: number;
  gpu_util?: number;
  vram_mb?: number;
}

export interface LiveLogLine {
  key: string;
  eventId: number;
  attempt: number;
  stream: string;
  line: string;
}

export interface Checkpoint {
  attempt: number;
  step: number;
  sha256: string;
  bytes: number;
}

export interface MonitorState {
  job: JobView;
  lastEventId: number;
  /** The attempt the chart and checkpoints belong to. */
  attempt: number;
  metrics: MetricPoint[];
  latest: LatestFigures | null;
  /** From progress events, when the worker counts epochs. */
  epoch: { epoch: number; total: number | null } | null;
  /** Recent (time, step) pairs of this attempt, for a step-rate ETA when the worker sends none. */
  rate: { at: number; step: number }[];
  etaSeconds: number | null;
  logs: LiveLogLine[];
  /** Event id of the oldest log line still held (older ones were dropped to bound memory). */
  logsDroppedBefore: number | null;
  checkpoints: Checkpoint[];
  samples: number;
  /** Furthest stepper index this attempt reached. */
  furthest: number;
}

export const MAX_LOG_LINES = 1000;
const RATE_WINDOW = 30;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Text workers report tokens_per_second, image workers throughput (samples/s). */
function latestOf(step: number, p: Record<string, unknown>): LatestFigures {
  const out: LatestFigures = { step };
  const put = (k: Exclude<keyof LatestFigures, 'step'>, v: number | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  put('loss', num(p.loss));
  put('learning_rate', num(p.learning_rate));
  put('throughput', num(p.throughput) ?? num(p.tokens_per_second));
  put('grad_norm', num(p.grad_norm));
  put('gpu_util', num(p.gpu_util));
  put('vram_mb', num(p.vram_mb));
  return out;
}

export function initialState(job: JobView, latestMetrics?: Record<string, unknown> | null): MonitorState {
  const step = num(latestMetrics?.step);
  return {
    job,
    lastEventId: 0,
    attempt: job.attempt,
    metrics: [],
    latest: step !== undefined && latestMetrics ? latestOf(step, latestMetrics) : null,
    epoch: null,
    rate: [],
    etaSeconds: null,
    logs: [],
    logsDroppedBefore: null,
    checkpoints: [],
    samples: 0,
    furthest: Math.max(0, stepIndexOf(job.status, job.stage)),
  };
}

/** A new attempt (lease expiry, retryable failure, user retry): the chart starts over. */
function enterAttempt(s: MonitorState, attempt: number): MonitorState {
  if (attempt <= s.attempt) return s;
  return { ...s, attempt, metrics: [], latest: null, epoch: null, rate: [], etaSeconds: null, checkpoints: [], furthest: 0 };
}

/**
 * Status rows do not rewrite the job here: a replayed history would walk the status back
 * through queued → running while it catches up. The caller re-reads the row when a batch
 * holds one; here they only record how far this attempt got, for the stepper of a failed job.
 */
function applyStatus(s: MonitorState, e: StreamEvent): MonitorState {
  const p = e.payload;
  const status = str(p.status);
  let reached = -1;
  if (status === 'queued' || status === 'dispatched' || status === 'running') reached = stepIndexOf(status, str(p.stage) ?? 'training');
  else if (p.event === 'job.started') reached = 2;
  else if (p.event === 'job.succeeded') reached = 4;
  return { ...s, furthest: Math.max(s.furthest, reached) };
}

function applyProgress(s: MonitorState, e: StreamEvent): MonitorState {
  const p = e.payload;
  const step = num(p.step);
  const total = num(p.total_steps);
  if (step === undefined || total === undefined) return s;
  const at = Date.parse(e.created_at);
  const rate = [...s.rate, { at, step }].slice(-RATE_WINDOW);
  const first = rate[0]!;
  const perSecond = at > first.at && step > first.step ? (step - first.step) / ((at - first.at) / 1000) : null;
  const eta = num(p.eta_seconds) ?? (perSecond ? (total - step) / perSecond : null);
  // Late or replayed progress never moves the job backwards.
  const fresh = s.job.step === null || step >= s.job.step || e.attempt > s.job.attempt;
  const job = fresh ? { ...s.job, step, total_steps: total, progress: total > 0 ? Math.min(1, step / total) : 0, stage: str(p.stage) ?? s.job.stage } : s.job;
  const epoch = num(p.epoch);
  const nextEpoch = epoch !== undefined ? { epoch, total: num(p.total_epochs) ?? null } : s.epoch;
  return { ...s, job, epoch: nextEpoch, rate, etaSeconds: eta, furthest: Math.max(s.furthest, stepIndexOf('running', str(p.stage) ?? 'training')) };
}

function applyMetrics(s: MonitorState, e: StreamEvent): MonitorState {
  const p = e.payload;
  const step = num(p.step);
  if (step === undefined) return s;
  const fresh = latestOf(step, p);
  // Figures a metrics event leaves out keep their last value (a val_loss-only event keeps the loss).
  const latest: LatestFigures = s.latest && s.latest.step <= step ? { ...s.latest, ...fresh } : fresh;
  const point: MetricPoint = { step };
  const put = (k: Exclude<keyof MetricPoint, 'step'>, v: number | undefined) => {
    if (v !== undefined) point[k] = v;
  };
  put('loss', fresh.loss);
  put('val_loss', num(p.val_loss));
  put('learning_rate', fresh.learning_rate);
  put('throughput', fresh.throughput);
  put('gpu_util', fresh.gpu_util);
  if (Object.keys(point).length === 1) return { ...s, latest };
  const last = s.metrics.at(-1);
  const metrics = last && last.step === step ? [...s.metrics.slice(0, -1), { ...last, ...point }] : [...s.metrics, point];
  return { ...s, metrics, latest };
}

function applyLog(s: MonitorState, e: StreamEvent): MonitorState {
  const lines = Array.isArray(e.payload.lines) ? e.payload.lines.filter((l): l is string => typeof l === 'string') : [];
  if (lines.length === 0) return s;
  const stream = str(e.payload.stream) ?? 'worker';
  const added = lines.map((line, i) => ({ key: `${e.id}:${i}`, eventId: e.id, attempt: e.attempt, stream, line }));
  let logs = [...s.logs, ...added];
  let dropped = s.logsDroppedBefore;
  if (logs.length > MAX_LOG_LINES) {
    logs = logs.slice(-MAX_LOG_LINES);
    dropped = logs[0]!.eventId;
  }
  return { ...s, logs, logsDroppedBefore: dropped };
}

export function applyEvent(s: MonitorState, e: StreamEvent): MonitorState {
  if (e.id <= s.lastEventId) return s;
  let next: MonitorState = { ...s, lastEventId: e.id };
  // A stale attempt's late event is history: logs keep it, nothing else moves.
  if (e.attempt < next.attempt && e.type !== 'log') return next;
  if (e.type !== 'log') next = enterAttempt(next, e.attempt);
  switch (e.type) {
    case 'status':
      next = applyStatus(next, e);
      break;
    case 'progress':
      next = applyProgress(next, e);
      break;
    case 'metrics':
      next = applyMetrics(next, e);
      break;
    case 'log':
      next = applyLog(next, e);
      break;
    case 'checkpoint': {
      const step = num(e.payload.step);
      if (step !== undefined) next = { ...next, checkpoints: [...next.checkpoints, { attempt: e.attempt, step, sha256: str(e.payload.sha256) ?? '', bytes: num(e.payload.bytes) ?? 0 }] };
      break;
    }
    case 'sample':
      next = { ...next, samples: next.samples + 1 };
      break;
  }
  return next;
}

export type MonitorAction = { type: 'events'; events: StreamEvent[] } | { type: 'job'; job: JobView };

export function reduceMonitor(s: MonitorState, a: MonitorAction): MonitorState {
  switch (a.type) {
    case 'events':
      return a.events.reduce(applyEvent, s);
    case 'job': {
      // A fresh read of the row (the SSE `open` frame, GET after a status change, a retry).
      const base = enterAttempt(s, a.job.attempt);
      return { ...base, job: a.job, furthest: Math.max(base.furthest, stepIndexOf(a.job.status, a.job.stage)) };
    }
  }
}

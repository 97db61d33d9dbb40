import { describe, expect, it } from 'vitest';
import type { JobView } from '@/server/jobs/schemas';
import { stepStates } from '../status.ts';
import { initialState, MAX_LOG_LINES, reduceMonitor, type StreamEvent } from './stream-state.ts';

const job = (p: Partial<JobView> = {}): JobView => ({
  id: 'job_a',
  status: 'running',
  stage: 'training',
  progress: 0,
  step: null,
  total_steps: null,
  attempt: 1,
  max_attempts: 3,
  provider: 'worker_pool',
  backend: 'cpu-reference',
  model_id: 'lm_a',
  version_id: 'ver_a',
  version_number: 1,
  dataset_id: 'ds_a',
  base_model: 'flux-dev',
  target_platform: null,
  error: null,
  gpu_seconds: null,
  cost_actual_usd: null,
  cost_estimate_usd: null,
  estimate: null,
  gpu: null,
  cost_so_far_usd: null,
  cost_basis: null,
  deadline_at: null,
  created_at: '2026-01-01T00:00:00Z',
  started_at: null,
  finished_at: null,
  updated_at: '2026-01-01T00:00:00Z',
  ...p,
});

let nextId = 1;
const ev = (type: StreamEvent['type'], payload: Record<string, unknown>, p: { attempt?: number; at?: number } = {}): StreamEvent => ({
  id: nextId++,
  attempt: p.attempt ?? 1,
  seq: nextId,
  type,
  payload,
  created_at: new Date(Date.UTC(2026, 0, 1) + (p.at ?? 0) * 1000).toISOString(),
});

describe('monitor stream state', () => {
  it('builds the loss curve by step, merges val_loss, and keeps the latest figures', () => {
    let s = initialState(job());
    s = reduceMonitor(s, {
      type: 'events',
      events: [
        ev('metrics', { step: 10, loss: 0.9, learning_rate: 1e-3, throughput: 40 }),
        ev('metrics', { step: 20, loss: 0.7, learning_rate: 1e-3, throughput: 42 }),
        ev('metrics', { step: 20, val_loss: 0.8 }),
      ],
    });
    expect(s.metrics).toEqual([
      { step: 10, loss: 0.9, learning_rate: 1e-3, throughput: 40 },
      { step: 20, loss: 0.7, val_loss: 0.8, learning_rate: 1e-3, throughput: 42 },
    ]);
    expect(s.latest).toMatchObject({ step: 20, loss: 0.7, learning_rate: 1e-3, throughput: 42 });
  });

  it('charts tokens/s and GPU utilisation of text workers, and follows the epoch', () => {
    let s = initialState(job());
    s = reduceMonitor(s, {
      type: 'events',
      events: [
        ev('progress', { step: 5, total_steps: 20, stage: 'training', epoch: 1, total_epochs: 4 }),
        ev('metrics', { step: 5, loss: 2.1, tokens_per_second: 1500, gpu_util: 87, vram_mb: 30000 }),
        ev('progress', { step: 10, total_steps: 20, stage: 'training', epoch: 2, total_epochs: 4 }),
        ev('metrics', { step: 10, learning_rate: 2e-4 }),
      ],
    });
    expect(s.metrics).toEqual([
      { step: 5, loss: 2.1, throughput: 1500, gpu_util: 87 },
      { step: 10, learning_rate: 2e-4 },
    ]);
    expect(s.latest).toMatchObject({ step: 10, loss: 2.1, throughput: 1500, gpu_util: 87, vram_mb: 30000, learning_rate: 2e-4 });
    expect(s.epoch).toEqual({ epoch: 2, total: 4 });
  });

  it('applies each event once: a replay after reconnect changes nothing', () => {
    const events = [ev('metrics', { step: 1, loss: 1 }), ev('log', { stream: 'stdout', lines: ['a', 'b'] }), ev('checkpoint', { step: 1, sha256: 'f'.repeat(64), bytes: 10 })];
    const once = reduceMonitor(initialState(job()), { type: 'events', events });
    const twice = reduceMonitor(once, { type: 'events', events });
    expect(twice.metrics).toHaveLength(1);
    expect(twice.logs.map((l) => l.line)).toEqual(['a', 'b']);
    expect(twice.checkpoints).toHaveLength(1);
  });

  it('progress moves forward only and gives a step-rate ETA when the worker sends none', () => {
    let s = initialState(job());
    s = reduceMonitor(s, { type: 'events', events: [ev('progress', { step: 100, total_steps: 1000, stage: 'training' }, { at: 0 }), ev('progress', { step: 300, total_steps: 1000, stage: 'training' }, { at: 10 })] });
    expect(s.job).toMatchObject({ step: 300, progress: 0.3 });
    expect(s.etaSeconds).toBeCloseTo(35); // 200 steps in 10 s → 700 left at 20/s
    s = reduceMonitor(s, { type: 'events', events: [ev('progress', { step: 200, total_steps: 1000, stage: 'training' }, { at: 11 })] });
    expect(s.job.step).toBe(300);
    s = reduceMonitor(s, { type: 'events', events: [ev('progress', { step: 400, total_steps: 1000, stage: 'uploading', eta_seconds: 12 }, { at: 12 })] });
    expect(s.etaSeconds).toBe(12);
    expect(s.furthest).toBe(3);
  });

  it('a new attempt starts the chart over; late events of the old attempt do not come back', () => {
    let s = reduceMonitor(initialState(job()), { type: 'events', events: [ev('metrics', { step: 5, loss: 1 })] });
    s = reduceMonitor(s, { type: 'events', events: [ev('status', { status: 'queued', stage: 'queued', attempt: 2 }, { attempt: 2 }), ev('metrics', { step: 6, loss: 2 }, { attempt: 1 })] });
    expect(s.attempt).toBe(2);
    expect(s.metrics).toEqual([]);
    s = reduceMonitor(s, { type: 'events', events: [ev('metrics', { step: 1, loss: 0.5 }, { attempt: 2 })] });
    expect(s.metrics).toEqual([{ step: 1, loss: 0.5 }]);
  });

  it('status rows do not walk a replayed job back; the stepper shows where a failed job stopped', () => {
    let s = initialState(job({ status: 'failed', stage: 'done' }));
    s = reduceMonitor(s, {
      type: 'events',
      events: [ev('status', { status: 'queued', stage: 'queued' }), ev('status', { event: 'job.started' }), ev('progress', { step: 3, total_steps: 10, stage: 'training' }), ev('status', { status: 'failed', stage: 'done' })],
    });
    expect(s.job.status).toBe('failed');
    expect(stepStates(s.job.status, s.job.stage, s.furthest)).toEqual(['complete', 'complete', 'failed', 'upcoming', 'upcoming', 'upcoming']);
    expect(stepStates('succeeded', 'done', 0).every((x) => x === 'complete')).toBe(true);
    expect(stepStates('running', 'uploading', 0)).toEqual(['complete', 'complete', 'complete', 'current', 'upcoming', 'upcoming']);
  });

  it('holds at most MAX_LOG_LINES lines and remembers where it cut', () => {
    const lines = Array.from({ length: MAX_LOG_LINES + 5 }, (_, i) => `line ${i}`);
    const a = ev('log', { stream: 'stdout', lines: lines.slice(0, 500) });
    const b = ev('log', { stream: 'stdout', lines: lines.slice(500) });
    const s = reduceMonitor(initialState(job()), { type: 'events', events: [a, b] });
    expect(s.logs).toHaveLength(MAX_LOG_LINES);
    expect(s.logs.at(-1)?.line).toBe(`line ${MAX_LOG_LINES + 4}`);
    expect(s.logsDroppedBefore).toBe(a.id);
  });
});

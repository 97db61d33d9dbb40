import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { encodeEvent, parseWorkerEvent, WORKER_EVENT_TYPES, WorkerEvent, WorkerEventType } from '../src/schemas.ts';
import { exampleEvents, type Loose } from './examples.ts';

const events = () => exampleEvents() as unknown as Loose[];
const byType = (type: string): Loose => structuredClone(events().find((e) => e.type === type)!);
const ok = (event: unknown) => WorkerEvent.safeParse(event).success;

describe('WorkerEvent', () => {
  it('has one example of every event type and accepts each', () => {
    expect(events().map((e) => e.type)).toEqual([...WORKER_EVENT_TYPES]);
    for (const event of events()) expect(ok(event), event.type).toBe(true);
  });

  it('rejects unknown types and bad envelopes', () => {
    expect(ok({ ...byType('job.started'), type: 'job.exploded' })).toBe(false);
    expect(ok({ ...byType('job.started'), seq: -1 })).toBe(false);
    expect(ok({ ...byType('job.started'), seq: 1.5 })).toBe(false);
    expect(ok({ ...byType('job.started'), attempt: 0 })).toBe(false);
    expect(ok({ ...byType('job.started'), job_id: '' })).toBe(false);
    expect(ok({ ...byType('job.started'), occurred_at: 'yesterday' })).toBe(false);
    const { data: _data, ...noData } = byType('job.started');
    expect(ok(noData)).toBe(false);
  });

  it('checks each payload against its own type', () => {
    const progress = byType('job.progress');
    expect(ok({ ...progress, data: byType('job.started').data })).toBe(false);
    expect(ok({ ...progress, data: { ...progress.data, stage: 'sleeping' } })).toBe(false);
    expect(ok({ ...progress, data: { ...progress.data, step: -1 } })).toBe(false);
    const metrics = byType('job.metrics');
    expect(ok({ ...metrics, data: { step: 1 } })).toBe(true);
    expect(ok({ ...metrics, data: { step: 1, loss: Number.NaN } })).toBe(false);
    expect(ok({ ...metrics, data: { step: 1, gpu_util: 101 } })).toBe(false);
    expect(ok({ ...byType('job.started'), data: { worker_id: 'w 1', backend: 'kohya', gpu: null } })).toBe(false);
    expect(ok({ ...byType('job.checkpoint'), data: { ...byType('job.checkpoint').data, sha256: 'x' } })).toBe(false);
    const failed = byType('job.failed');
    expect(ok({ ...failed, data: { ...failed.data, code: 'Not Snake' } })).toBe(false);
    expect(ok({ ...failed, data: { ...failed.data, retryable: 'yes' } })).toBe(false);
    const succeeded = byType('job.succeeded');
    expect(ok({ ...succeeded, data: { ...succeeded.data, summary: { nested: { a: 1 } } } })).toBe(false);
    expect(ok({ ...succeeded, data: { ...succeeded.data, gpu_seconds: -1 } })).toBe(false);
  });

  it('caps log events at 500 lines of at most 8 KB (UTF-8 bytes)', () => {
    const log = byType('job.log');
    const withLines = (lines: string[]) => ok({ ...log, data: { stream: 'stderr', lines } });
    expect(withLines(Array(500).fill('x'))).toBe(true);
    expect(withLines(Array(501).fill('x'))).toBe(false);
    expect(withLines([])).toBe(false);
    expect(withLines(['a'.repeat(8192)])).toBe(true);
    expect(withLines(['a'.repeat(8193)])).toBe(false);
    expect(withLines(['é'.repeat(4096)])).toBe(true); // 8192 bytes
    expect(withLines(['é'.repeat(4097)])).toBe(false); // 4097 chars but 8194 bytes
    expect(ok({ ...log, data: { stream: 'stdin', lines: ['x'] } })).toBe(false);
  });
});

describe('parseWorkerEvent / encodeEvent', () => {
  it('round-trips every event through JSON', () => {
    for (const event of exampleEvents()) {
      const wire = encodeEvent(event);
      expect(parseWorkerEvent(JSON.parse(wire))).toEqual(event);
    }
  });

  it('throws a ZodError for invalid input, on both sides', () => {
    expect(() => parseWorkerEvent({ type: 'job.started' })).toThrow(ZodError);
    expect(() => parseWorkerEvent('{"type":"job.started"}')).toThrow(ZodError);
    const bad = { ...byType('job.metrics'), seq: -3 } as unknown as WorkerEvent;
    expect(() => encodeEvent(bad)).toThrow(ZodError);
  });

  it('drops unknown envelope keys rather than forwarding them', () => {
    const parsed = parseWorkerEvent({ ...byType('job.canceled'), extra: 'x' }) as Loose;
    expect(parsed.extra).toBeUndefined();
  });

  it('exposes the event types as an enum', () => {
    expect(WorkerEventType.options).toEqual([...WORKER_EVENT_TYPES]);
    expect(WorkerEventType.safeParse('job.progress').success).toBe(true);
    expect(WorkerEventType.safeParse('job.paused').success).toBe(false);
  });
});

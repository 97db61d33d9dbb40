import { describe, expect, it } from 'vitest';
import { JobStatus, WORKER_EVENT_TYPES } from '../src/schemas.ts';
import {
  allowedTransitions,
  assertTransition,
  canTransition,
  IllegalTransitionError,
  isTerminal,
  nextStatusForEvent,
  type TransitionReason,
} from '../src/state-machine.ts';

const STATUSES = JobStatus.options;
const REASONS: (TransitionReason | undefined)[] = [undefined, 'lease_expired', 'retryable_failure', 'retry'];
const TERMINAL = ['succeeded', 'failed', 'canceled'] as const;
const ALL_TRIPLES = STATUSES.flatMap((from) => STATUSES.flatMap((to) => REASONS.map((reason) => ({ from, to, reason }))));

// The edges DESIGN §3 and the protocol brief name, written out independently of the module.
const EXPECTED = new Set([
  'queued>dispatched', 'queued>cancel_requested', 'queued>canceled',
  'dispatched>running', 'dispatched>succeeded', 'dispatched>failed', 'dispatched>cancel_requested',
  'dispatched>queued:lease_expired', 'dispatched>queued:retryable_failure',
  'running>succeeded', 'running>failed', 'running>cancel_requested',
  'running>queued:lease_expired', 'running>queued:retryable_failure',
  'cancel_requested>canceled', 'cancel_requested>succeeded', 'cancel_requested>failed',
  'failed>queued:retry', 'canceled>queued:retry',
]);

describe('canTransition over every (from, to, reason)', () => {
  it('allows exactly the documented edges', () => {
    const allowed = ALL_TRIPLES.filter((t) => canTransition(t.from, t.to, t.reason)).map(
      (t) => `${t.from}>${t.to}${t.reason ? `:${t.reason}` : ''}`,
    );
    expect(new Set(allowed)).toEqual(EXPECTED);
  });

  it('never allows a self-transition', () => {
    for (const { from, reason } of ALL_TRIPLES) expect(canTransition(from, from, reason)).toBe(false);
  });

  it('only leaves a terminal status through an explicit retry into queued', () => {
    for (const { from, to, reason } of ALL_TRIPLES.filter((t) => isTerminal(t.from))) {
      expect(canTransition(from, to, reason)).toBe(from !== 'succeeded' && to === 'queued' && reason === 'retry');
    }
  });

  it('never re-queues without a reason, and uses reasons only for re-queues', () => {
    for (const { from, to, reason } of ALL_TRIPLES.filter((t) => canTransition(t.from, t.to, t.reason))) {
      expect(to === 'queued').toBe(reason !== undefined);
      if (reason === 'retry') expect(isTerminal(from)).toBe(true);
      else if (reason) expect(['dispatched', 'running']).toContain(from);
    }
  });

  it('reaches a terminal status from every status, and every status from queued', () => {
    const reach = (start: JobStatus) => {
      const seen = new Set<JobStatus>([start]);
      const todo: JobStatus[] = [start];
      for (let from = todo.pop(); from; from = todo.pop()) {
        for (const { to } of allowedTransitions(from)) {
          if (seen.has(to)) continue;
          seen.add(to);
          todo.push(to);
        }
      }
      return seen;
    };
    expect(reach('queued')).toEqual(new Set(STATUSES));
    for (const status of STATUSES) expect(TERMINAL.some((t) => reach(status).has(t))).toBe(true);
  });

  it('assertTransition throws IllegalTransitionError exactly when canTransition is false', () => {
    for (const { from, to, reason } of ALL_TRIPLES) {
      if (canTransition(from, to, reason)) {
        expect(() => assertTransition(from, to, reason)).not.toThrow();
        continue;
      }
      try {
        assertTransition(from, to, reason);
        expect.unreachable(`${from} → ${to} should throw`);
      } catch (error) {
        expect(error).toBeInstanceOf(IllegalTransitionError);
        expect(error).toMatchObject({ from, to, reason });
      }
    }
  });

  it('calls exactly succeeded, failed and canceled terminal', () => {
    expect(STATUSES.filter(isTerminal)).toEqual([...TERMINAL]);
  });
});

describe('nextStatusForEvent over every (status, event, requeue)', () => {
  const cases = STATUSES.flatMap((status) =>
    WORKER_EVENT_TYPES.flatMap((event) => [false, true].map((requeue) => ({ status, event, requeue }))),
  );

  it('only ever proposes moves the transition table allows', () => {
    for (const { status, event, requeue } of cases) {
      const outcome = nextStatusForEvent(status, event, { requeue });
      if (outcome.kind === 'move') expect(canTransition(outcome.from, outcome.to, outcome.reason)).toBe(true);
      if (outcome.kind === 'stay') expect(outcome.status).toBe(status);
      if (outcome.kind === 'illegal') expect(outcome).toMatchObject({ from: status, event });
    }
  });

  it('refuses every event for a queued or succeeded job except a repeated success', () => {
    for (const { status, event, requeue } of cases.filter((c) => c.status === 'queued' || c.status === 'succeeded')) {
      const expected = status === 'succeeded' && event === 'job.succeeded' ? 'stay' : 'illegal';
      expect(nextStatusForEvent(status, event, { requeue }).kind).toBe(expected);
    }
  });

  it('moves a dispatched job to running on any activity and keeps a running one there', () => {
    for (const event of ['job.started', 'job.progress', 'job.metrics', 'job.log', 'job.checkpoint', 'job.sample'] as const) {
      expect(nextStatusForEvent('dispatched', event)).toEqual({ kind: 'move', from: 'dispatched', to: 'running' });
      expect(nextStatusForEvent('running', event)).toEqual({ kind: 'stay', status: 'running' });
      expect(nextStatusForEvent('cancel_requested', event)).toEqual({ kind: 'stay', status: 'cancel_requested' });
      expect(nextStatusForEvent('failed', event).kind).toBe('illegal');
    }
  });

  it('ends or re-queues on terminal events', () => {
    expect(nextStatusForEvent('running', 'job.succeeded')).toMatchObject({ kind: 'move', to: 'succeeded' });
    expect(nextStatusForEvent('cancel_requested', 'job.succeeded')).toMatchObject({ kind: 'move', to: 'succeeded' });
    expect(nextStatusForEvent('running', 'job.failed')).toMatchObject({ kind: 'move', to: 'failed' });
    expect(nextStatusForEvent('running', 'job.failed', { requeue: true })).toEqual({
      kind: 'move', from: 'running', to: 'queued', reason: 'retryable_failure',
    });
    expect(nextStatusForEvent('cancel_requested', 'job.failed')).toMatchObject({ kind: 'move', to: 'failed' });
    expect(nextStatusForEvent('cancel_requested', 'job.failed', { requeue: true })).toMatchObject({ to: 'canceled' });
    expect(nextStatusForEvent('cancel_requested', 'job.canceled')).toMatchObject({ kind: 'move', to: 'canceled' });
    expect(nextStatusForEvent('running', 'job.canceled').kind).toBe('illegal');
    expect(nextStatusForEvent('canceled', 'job.canceled')).toEqual({ kind: 'stay', status: 'canceled' });
    expect(nextStatusForEvent('failed', 'job.failed')).toEqual({ kind: 'stay', status: 'failed' });
  });
});

'use client';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { apiJson } from '@/components/datasets/api';
import type { JobDetail, JobView } from '@/server/jobs/schemas';
import { isTerminalStatus } from '../status.ts';
import { initialState, reduceMonitor, type StreamEvent } from './stream-state.ts';

export type Connection = 'connecting' | 'live' | 'reconnecting' | 'ended';

const EVENT_TYPES = ['status', 'progress', 'metrics', 'log', 'checkpoint', 'sample'] as const;
const FLUSH_MS = 60;
const MAX_BACKOFF_MS = 30_000;

/**
 * The job's live state from GET …/events. EventSource reconnects by itself after a network
 * drop and sends Last-Event-ID; when the browser gives up (an HTTP error on reconnect) we open
 * a new one with ?last_event_id= after a backoff. A finished job's stream ends after its
 * history, and we stop there instead of reconnecting forever. Events are applied in batches
 * so a long history replays in a few renders, not thousands. A batch holding a status row
 * re-reads the job (status, error, verified version) with one GET.
 */
export function useJobStream(initial: JobDetail) {
  const [state, dispatch] = useReducer(reduceMonitor, initial, (d) => initialState(d, d.latest.metrics));
  const [detail, setDetail] = useState(initial);
  const [connection, setConnection] = useState<Connection>('connecting');
  const [generation, setGeneration] = useState(0);
  const lastId = useRef(0);
  // The row as last read: a terminal status event ends the stream only if it belongs to the
  // current attempt (a replayed history can hold an earlier attempt's `failed` before a retry).
  const jobStatus = useRef<string>(initial.status);
  const jobAttempt = useRef(initial.attempt);
  useEffect(() => {
    lastId.current = state.lastEventId;
  }, [state.lastEventId]);

  const refresh = useCallback(async () => {
    try {
      const d = await apiJson<JobDetail>(`/api/lora/jobs/${initial.id}`);
      jobStatus.current = d.status;
      jobAttempt.current = d.attempt;
      setDetail(d);
      dispatch({ type: 'job', job: d });
    } catch {
      /* the stream keeps going; the next status change reads again */
    }
  }, [initial.id]);

  useEffect(() => {
    let es: EventSource | null = null;
    let queue: StreamEvent[] = [];
    let flushTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    let backoff = 1000;
    let closed = false;

    const flush = () => {
      if (flushTimer) clearTimeout(flushTimer);
      flushTimer = null;
      if (queue.length === 0) return;
      const events = queue;
      queue = [];
      lastId.current = Math.max(lastId.current, events.at(-1)!.id);
      dispatch({ type: 'events', events });
      if (events.some((e) => e.type === 'status')) void refresh();
    };
    const finish = () => {
      closed = true;
      es?.close();
      flush();
      setConnection('ended');
      void refresh();
    };
    const open = () => {
      const after = lastId.current;
      es = new EventSource(`/api/lora/jobs/${initial.id}/events${after > 0 ? `?last_event_id=${after}` : ''}`);
      // Both the connection opening and the server's own `open` frame (the job row as of
      // connecting, no id so it never moves Last-Event-ID) arrive as "open".
      es.addEventListener('open', ((e: Event) => {
        setConnection('live');
        const data = (e as MessageEvent<unknown>).data;
        if (typeof data !== 'string') return;
        const { job } = JSON.parse(data) as { job: JobView };
        jobStatus.current = job.status;
        jobAttempt.current = job.attempt;
        dispatch({ type: 'job', job });
      }) as EventListener);
      for (const type of EVENT_TYPES) {
        es.addEventListener(type, ((e: MessageEvent<string>) => {
          backoff = 1000;
          const event = JSON.parse(e.data) as StreamEvent;
          queue.push(event);
          flushTimer ??= setTimeout(flush, FLUSH_MS);
          // A terminal status of the current attempt is the last event a stream sends.
          if (type === 'status' && typeof event.payload.status === 'string' && isTerminalStatus(event.payload.status) && event.attempt >= jobAttempt.current) {
            jobStatus.current = event.payload.status;
            finish();
          }
        }) as EventListener);
      }
      es.onerror = () => {
        if (closed) return;
        // A finished job's stream closes after its history: that is the end, not an outage.
        if (isTerminalStatus(jobStatus.current)) return finish();
        setConnection('reconnecting');
        if (es?.readyState === EventSource.CLOSED) {
          retryTimer = setTimeout(open, backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      };
    };
    open();
    return () => {
      closed = true;
      es?.close();
      if (flushTimer) clearTimeout(flushTimer);
      if (retryTimer) clearTimeout(retryTimer);
    };
  }, [initial.id, generation, refresh]);

  /** After cancel/retry: take the returned row, and listen again if the job lives on. */
  const replaceJob = useCallback((d: JobDetail) => {
    setDetail(d);
    dispatch({ type: 'job', job: d });
    jobStatus.current = d.status;
    jobAttempt.current = d.attempt;
    if (!isTerminalStatus(d.status)) {
      setConnection('connecting');
      setGeneration((g) => g + 1);
    }
  }, []);

  return { state, detail, connection, replaceJob };
}

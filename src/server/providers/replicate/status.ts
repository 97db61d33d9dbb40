// Replicate's training statuses onto ours: starting → dispatched, processing → running,
// succeeded / failed / canceled → the same. Replicate's `error` is free-form; keep it short.
import type { PolledState } from '../types.ts';
import type { ReplicateTraining } from './client.ts';

export function logTail(logs: string | null | undefined, n = 30): string[] {
  if (!logs) return [];
  return logs.split(/\r?\n/).filter((l) => l.trim() !== '').slice(-n).map((l) => l.slice(0, 8000));
}

export function mapReplicateTraining(t: ReplicateTraining): PolledState {
  switch (t.status) {
    case 'starting':
      return { status: 'dispatched', raw: t };
    case 'processing':
      return { status: 'running', raw: t };
    case 'succeeded':
      return { status: 'succeeded', raw: t };
    case 'canceled':
      return { status: 'canceled', raw: t };
    case 'failed': {
      const message = typeof t.error === 'string' && t.error ? t.error : t.error ? JSON.stringify(t.error) : 'Replicate reported the training as failed.';
      return { status: 'failed', error: { code: 'provider_failed', message: message.slice(0, 4000), last_lines: logTail(t.logs) }, raw: t };
    }
  }
}

// Replicate's trainings API (create, get, cancel) against REPLICATE_API_BASE. Answers are
// checked with a schema that keeps unknown fields: Replicate adds fields over time.
import { z } from 'zod';
import { httpCall, isTransientStatus, parseJson } from '../http.ts';
import { replicateConfig } from './config.ts';

export const ReplicateTraining = z.looseObject({
  id: z.string().min(1),
  status: z.enum(['starting', 'processing', 'succeeded', 'failed', 'canceled']),
  error: z.unknown().optional(),
  logs: z.string().nullable().optional(),
  output: z.looseObject({ weights: z.string().optional(), version: z.string().optional() }).nullable().optional(),
  metrics: z.looseObject({ predict_time: z.number().optional() }).nullable().optional(),
  created_at: z.string().optional(),
  started_at: z.string().nullable().optional(),
  completed_at: z.string().nullable().optional(),
});
export type ReplicateTraining = z.infer<typeof ReplicateTraining>;

export type ReplicateAnswer = { kind: 'ok'; training: ReplicateTraining } | { kind: 'retry'; message: string } | { kind: 'error'; status: number; message: string };

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<ReplicateAnswer> {
  const cfg = replicateConfig();
  if (!cfg.token) return { kind: 'error', status: 0, message: 'REPLICATE_API_TOKEN is not configured' };
  const res = await httpCall(`${cfg.apiBase}${path}`, {
    method,
    headers: { authorization: `Bearer ${cfg.token}`, 'content-type': 'application/json', accept: 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) return { kind: 'retry', message: `Replicate unreachable: ${res.error}` };
  const json = parseJson(res.text) as { detail?: string; title?: string } | undefined;
  if (res.status >= 300) {
    const message = `Replicate answered HTTP ${res.status}: ${json?.detail ?? json?.title ?? res.text.slice(0, 300)}`;
    return isTransientStatus(res.status) ? { kind: 'retry', message } : { kind: 'error', status: res.status, message };
  }
  const parsed = ReplicateTraining.safeParse(json);
  if (!parsed.success) return { kind: 'retry', message: 'Replicate answered with something that is not a training object' };
  return { kind: 'ok', training: parsed.data };
}

export function createTraining(p: { owner: string; name: string; version: string; destination: string; input: Record<string, unknown>; webhook: string }) {
  const path = `/models/${encodeURIComponent(p.owner)}/${encodeURIComponent(p.name)}/versions/${encodeURIComponent(p.version)}/trainings`;
  return call('POST', path, { destination: p.destination, input: p.input, webhook: p.webhook, webhook_events_filter: ['start', 'logs', 'completed'] });
}

export const getTraining = (id: string) => call('GET', `/trainings/${encodeURIComponent(id)}`);
export const cancelTraining = (id: string) => call('POST', `/trainings/${encodeURIComponent(id)}/cancel`);

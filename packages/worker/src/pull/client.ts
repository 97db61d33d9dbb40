// HTTP calls of pull mode (worker_pool): lease and heartbeat, with the worker token as a
// Bearer credential. Answers are parsed with the protocol schemas before they are used.
import {
  HeartbeatResponse,
  LeaseResponse,
  type HeartbeatRequest,
  type LeaseRequest,
} from '@lora-studio/protocol';
import { retryAfterMs } from '../io/backoff.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A lease answer that is valid once its params are set aside. */
const validButParams = (body: unknown) => isObject(body) && isObject(body.spec) && LeaseResponse.safeParse({ ...body, spec: { ...body.spec, params: {} } }).success;

export type LeaseResult =
  | { kind: 'job'; lease: LeaseResponse }
  | { kind: 'none' }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'retry'; message: string; retryAfterMs: number | null }
  | { kind: 'fatal'; message: string };

export type HeartbeatResult =
  | { kind: 'ok'; answer: HeartbeatResponse }
  | { kind: 'error'; message: string };

export interface ControlPlaneClientOptions {
  /** Base URL of the app, e.g. http://localhost:3000 (a path prefix is kept). */
  baseUrl: string;
  token: string;
  timeoutMs?: number;
}

export class ControlPlaneClient {
  readonly leaseUrl: string;
  readonly defaultHeartbeatUrl: string;

  constructor(private readonly opts: ControlPlaneClientOptions) {
    const base = opts.baseUrl.replace(/\/+$/, '');
    this.leaseUrl = `${base}/api/workers/lease`;
    this.defaultHeartbeatUrl = `${base}/api/workers/heartbeat`;
  }

  async lease(request: LeaseRequest, signal: AbortSignal): Promise<LeaseResult> {
    const res = await this.post(this.leaseUrl, request, signal);
    if ('error' in res) return { kind: 'retry', message: res.error, retryAfterMs: null };
    if (res.status === 204) return { kind: 'none' };
    if (res.status === 401) return { kind: 'unauthorized', message: describe(res) };
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      return { kind: 'retry', message: describe(res), retryAfterMs: retryAfterMs(res.headers.get('retry-after'), 60_000) };
    }
    if (res.status !== 200) return { kind: 'fatal', message: describe(res) };
    const body = safeJson(res.text);
    const parsed = LeaseResponse.safeParse(body);
    if (!parsed.success && validButParams(body)) {
      // Everything but the params is valid: run it, so the runner refuses the params and
      // reports job.failed (invalid_params) instead of leaving the lease to expire, re-queued.
      return { kind: 'job', lease: body as LeaseResponse };
    }
    if (!parsed.success) {
      // The job is leased to us but unusable; its lease will expire and re-queue it.
      return { kind: 'retry', message: `lease answer is not a valid LeaseResponse: ${parsed.error.message.slice(0, 500)}`, retryAfterMs: null };
    }
    return { kind: 'job', lease: parsed.data };
  }

  async heartbeat(url: string, request: HeartbeatRequest, signal: AbortSignal): Promise<HeartbeatResult> {
    const res = await this.post(url, request, signal);
    if ('error' in res) return { kind: 'error', message: res.error };
    if (res.status !== 200) return { kind: 'error', message: describe(res) };
    const parsed = HeartbeatResponse.safeParse(safeJson(res.text));
    if (!parsed.success) return { kind: 'error', message: `heartbeat answer is not a valid HeartbeatResponse` };
    return { kind: 'ok', answer: parsed.data };
  }

  private async post(url: string, body: unknown, signal: AbortSignal): Promise<{ status: number; text: string; headers: Headers } | { error: string }> {
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.opts.timeoutMs ?? 30_000)]),
      });
      return { status: res.status, text: await res.text(), headers: res.headers };
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      return { error: `${url}: ${(err as Error).message}${code ? ` (${code})` : ''}` };
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** "HTTP 422: <the house error message>" from a `{ error: { code, message } }` body when there is one. */
function describe(res: { status: number; text: string }): string {
  const body = safeJson(res.text) as { error?: { code?: string; message?: string } } | undefined;
  const detail = body?.error?.message ? `${body.error.code ?? 'error'}: ${body.error.message}` : res.text.slice(0, 300);
  return `HTTP ${res.status}${detail ? ` (${detail})` : ''}`;
}

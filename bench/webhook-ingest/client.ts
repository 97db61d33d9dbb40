// The client side of the benches: a keep-alive HTTP client and a worker's signed event POST.
// No app code here, so a subscriber child process can load it without the app.
import http from 'node:http';
import { buildSignedHeaders, encodeEvent, jobAttemptHeaders, type WorkerEvent } from '@lora-studio/protocol';

// No socket cap: N concurrent senders (or 1,000 subscribers) get N sockets, never a queue.
export const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function request(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = opts.body === undefined ? undefined : Buffer.from(opts.body, 'utf8');
    const req = http.request(url, { method: opts.method ?? (body ? 'POST' : 'GET'), agent, headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}), ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

export type EventInput = Omit<WorkerEvent, 'occurred_at'>;

/** One event exactly as a worker sends it: encodeEvent bytes, signed at send time with the attempt key. */
export function postEvent(baseUrl: string, secret: string, e: EventInput, ip: string): Promise<Reply> {
  const body = encodeEvent({ occurred_at: new Date().toISOString(), ...e } as WorkerEvent);
  const headers = { ...buildSignedHeaders({ body, secret }), ...jobAttemptHeaders(e.job_id, e.attempt), 'x-forwarded-for': ip };
  return request(`${baseUrl}/api/lora/webhook`, { body, headers });
}

export const metricsEvent = (jobId: string, attempt: number, seq: number): EventInput => ({
  type: 'job.metrics',
  job_id: jobId,
  attempt,
  seq,
  data: { step: seq, loss: 1 / (1 + seq), learning_rate: 1e-4, grad_norm: 0.8, throughput: 3.2 },
});

// A pool of SSE subscribers over node:http, with the small parser they share. Each one records
// WHEN (performance.now(), at the chunk's arrival) it received the frame of each watched seq;
// the sender, in the same process, compares that with the moment it began the POST.
import http from 'node:http';

export interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** Splits a text/event-stream into frames (`\n\n`-separated; `id:`, `event:`, `data:` fields, `:` comments). */
export class SseParser {
  private buffer = '';

  push(chunk: string, onFrame: (f: Frame) => void): void {
    this.buffer += chunk;
    let cut: number;
    while ((cut = this.buffer.indexOf('\n\n')) !== -1) {
      const raw = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const f: Frame = {};
      for (const line of raw.split('\n')) {
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') f.id = value;
        else if (field === 'event') f.event = value;
        else if (field === 'data') f.data = f.data === undefined ? value : `${f.data}\n${value}`;
      }
      if (f.data !== undefined || f.event !== undefined) onFrame(f);
    }
  }
}

/** The seq of a job event frame (its `data` is the stored row as JSON), or null for anything else. */
export function frameSeq(f: Frame): number | null {
  if (!f.id || f.data === undefined) return null;
  const seq = (JSON.parse(f.data) as { seq?: unknown }).seq;
  return typeof seq === 'number' ? seq : null;
}

export interface PoolOptions {
  url: string;
  cookie: string;
  count: number;
  /** Seqs from firstSeq to firstSeq + events - 1 are recorded. */
  firstSeq: number;
  events: number;
  /** Opens in flight at once. */
  openConcurrency?: number;
}

export interface SubscriberPool {
  /** arrivals[k][i]: when subscriber i received seq firstSeq + k (NaN: not yet). */
  arrivals: Float64Array[];
  /** Resolves when every subscriber has seq, or rejects after timeoutMs. */
  delivered(seq: number, timeoutMs: number): Promise<void>;
  close(): void;
}

export async function openSubscribers(opts: PoolOptions): Promise<SubscriberPool> {
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const arrivals = Array.from({ length: opts.events }, () => new Float64Array(opts.count).fill(Number.NaN));
  const remaining = new Int32Array(opts.events).fill(opts.count);
  const waiters = new Map<number, () => void>();
  const requests: http.ClientRequest[] = [];

  const openOne = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const parser = new SseParser();
      const req = http.get(opts.url, { agent, headers: { cookie: opts.cookie, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          reject(new Error(`subscriber ${i}: HTTP ${res.statusCode}`));
          res.resume();
          return;
        }
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const t = performance.now();
          parser.push(chunk, (f) => {
            if (f.event === 'open') return resolve();
            const seq = frameSeq(f);
            const k = seq === null ? -1 : seq - opts.firstSeq;
            if (k < 0 || k >= opts.events || !Number.isNaN(arrivals[k]![i]!)) return;
            arrivals[k]![i] = t;
            if (--remaining[k]! === 0) waiters.get(seq!)?.();
          });
        });
        res.on('error', () => undefined);
      });
      req.on('error', (err) => reject(err));
      requests.push(req);
    });

  const width = opts.openConcurrency ?? 50;
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, opts.count) }, async () => {
    for (let i = next++; i < opts.count; i = next++) await openOne(i);
  }));

  return {
    arrivals,
    delivered(seq, timeoutMs) {
      const k = seq - opts.firstSeq;
      if (remaining[k] === 0) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(seq);
          reject(new Error(`seq ${seq}: ${remaining[k]} of ${opts.count} subscribers still waiting after ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.set(seq, () => {
          clearTimeout(timer);
          waiters.delete(seq);
          resolve();
        });
      });
    },
    close() {
      for (const r of requests) r.destroy();
      agent.destroy();
    },
  };
}

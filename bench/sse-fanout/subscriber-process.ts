// Child process of the sse-fanout bench: the outside world. It opens the subscribers and, as
// the worker, POSTs the signed events — so the server process's memory is the server's alone,
// and every latency is measured on one clock (start of the POST → arrival at each subscriber).
// Talks to run.ts over IPC: config → connected → go → results → close.
import { agent, metricsEvent, postEvent } from '../webhook-ingest/client.ts';
import { memory, type MemorySample } from './memory.ts';
import { openSubscribers, type SubscriberPool } from './sse-client.ts';

export interface ChildConfig {
  type: 'config';
  baseUrl: string;
  jobId: string;
  attempt: number;
  secret: string;
  cookie: string;
  subscribers: number;
  events: number;
  firstSeq: number;
  gapMs: number;
  deliveryTimeoutMs: number;
}

export type ChildMessage =
  | { type: 'connected'; openSeconds: number; before: MemorySample; after: MemorySample }
  | { type: 'results'; ackMs: number[]; latencies: number[][]; failures: string[] }
  | { type: 'error'; message: string };

const send = (m: ChildMessage) => process.send!(m);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let pool: SubscriberPool | null = null;
let config: ChildConfig | null = null;

async function connect(c: ChildConfig) {
  const before = memory();
  const t0 = performance.now();
  pool = await openSubscribers({ url: `${c.baseUrl}/api/lora/jobs/${c.jobId}/events`, cookie: c.cookie, count: c.subscribers, firstSeq: c.firstSeq, events: c.events });
  const openSeconds = (performance.now() - t0) / 1000;
  send({ type: 'connected', openSeconds, before, after: memory() });
}

async function fanOut(c: ChildConfig, p: SubscriberPool) {
  const ackMs: number[] = [];
  const latencies: number[][] = [];
  const failures: string[] = [];
  for (let k = 0; k < c.events; k++) {
    const seq = c.firstSeq + k;
    const t0 = performance.now();
    const res = await postEvent(c.baseUrl, c.secret, metricsEvent(c.jobId, c.attempt, seq), '10.99.0.1');
    ackMs.push(performance.now() - t0);
    if (res.status !== 200) failures.push(`seq ${seq}: HTTP ${res.status} ${res.text.slice(0, 200)}`);
    else await p.delivered(seq, c.deliveryTimeoutMs).catch((err: Error) => failures.push(err.message));
    latencies.push(Array.from(p.arrivals[k]!, (t) => t - t0));
    await sleep(c.gapMs);
  }
  send({ type: 'results', ackMs, latencies, failures });
}

process.on('message', (m: { type: string }) => {
  const run = async () => {
    if (m.type === 'config') await connect((config = m as ChildConfig));
    else if (m.type === 'go') await fanOut(config!, pool!);
    else if (m.type === 'close') {
      pool?.close();
      agent.destroy();
      process.exit(0);
    }
  };
  run().catch((err: Error) => send({ type: 'error', message: err.stack ?? err.message }));
});

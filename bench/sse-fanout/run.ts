// Benchmark of live job events: `npm run bench sse-fanout` (PGlite in memory), or with
// BENCH_DATABASE_URL=postgres://… against a fresh database on that server.
// One running job, 1,000 SSE subscribers on GET /api/lora/jobs/:id/events over real HTTP
// (opened by a child process, which is also the worker POSTing EVENTS signed job.metrics
// events to the real webhook route, one at a time). Per event: the time from the start of the
// POST to its arrival at each subscriber (pg_notify → the hub's one LISTEN → one row read →
// 1,000 generators → 1,000 sockets). Memory per connection = this (server) process's RSS and
// heap growth after all 1,000 are connected, ÷ 1,000. Baseline in the same run: the same
// fan-out through a bare in-process EventEmitter to 1,000 listeners. Writes this database's
// section of RESULTS.md.
import { SUBSCRIBERS } from './fd-limit.ts';
import { BENCH_PORT, cleanupBenchEnv, DATABASE_KIND } from '../webhook-ingest/env.ts';
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { and, desc, eq } from 'drizzle-orm';
import { getDb, tables } from '@/server/db';
import { jobEventsHub } from '@/server/jobs/events-hub';
import { formatSse } from '@/server/jobs/sse';
import { agent, metricsEvent, postEvent } from '../webhook-ingest/client.ts';
import { describeDatabase, fmt, machine, writeResultsSection } from '../webhook-ingest/report.ts';
import { startBenchServer } from '../webhook-ingest/server.ts';
import { createUser, startRunningJob, workerToken } from '../webhook-ingest/setup.ts';
import { emitterFanOut } from './emitter-baseline.ts';
import { memory, type MemorySample } from './memory.ts';
import { openSubscribers } from './sse-client.ts';
import { latencyRows, memoryRow, summarize } from './summary.ts';
import type { ChildConfig, ChildMessage } from './subscriber-process.ts';

const EVENTS = 40;
const GAP_MS = 50; // quiet time between events, so each one is measured on an idle server
const DELIVERY_TIMEOUT_MS = 30_000;
const DEADLINE_MS = 10 * 60_000;
const log = (s: string) => process.stdout.write(`${s}\n`);

setTimeout(() => {
  console.error(`sse-fanout: still running after ${DEADLINE_MS / 60_000} minutes; giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();

/** The next message of `type` from the child; its 'error' message or an early exit rejects. */
function next<T extends ChildMessage['type']>(child: ChildProcess, type: T): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: ChildMessage) => {
      if (m.type === type) done(() => resolve(m as Extract<ChildMessage, { type: T }>));
      else if (m.type === 'error') done(() => reject(new Error(`subscriber process: ${m.message}`)));
    };
    const onExit = (code: number | null) => done(() => reject(new Error(`subscriber process exited (${code}) while waiting for ${type}`)));
    const done = (f: () => void) => {
      child.off('message', onMessage);
      child.off('exit', onExit);
      f();
    };
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

async function until(what: string, ok: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const loadBefore = os.loadavg()[0]!;
const server = await startBenchServer(BENCH_PORT);
const hub = jobEventsHub();
let child: ChildProcess | null = null;
let exitCode = 0;
try {
  const database = await describeDatabase();
  log(`database: ${database}`);
  const user = await createUser(server.url);
  const job = await startRunningJob(server.url, user, await workerToken());
  const streamUrl = `${server.url}/api/lora/jobs/${job.jobId}/events`;

  // Warm-up (discarded): a few subscribers and one event load every lazy module, start the
  // hub's LISTEN and JIT the path, so the memory delta below is connections, not code.
  const warm = await openSubscribers({ url: streamUrl, cookie: user.cookie, count: 5, firstSeq: job.nextSeq, events: 1 });
  const w = await postEvent(server.url, job.secret, metricsEvent(job.jobId, job.attempt, job.nextSeq), '10.98.0.1');
  if (w.status !== 200) throw new Error(`warm-up event: HTTP ${w.status} ${w.text}`);
  await warm.delivered(job.nextSeq++, DELIVERY_TIMEOUT_MS);
  warm.close();
  await until('warm-up subscribers to leave', () => hub.subscriberCount(job.jobId) === 0);

  // Baseline frames: the stored warm-up row, re-numbered, formatted exactly as the route does.
  const db = await getDb();
  const [row] = await db.select().from(tables.jobEvents).where(and(eq(tables.jobEvents.jobId, job.jobId), eq(tables.jobEvents.type, 'metrics'))).orderBy(desc(tables.jobEvents.id)).limit(1);
  const firstSeq = job.nextSeq;
  const emitter = await emitterFanOut({ listeners: SUBSCRIBERS, events: EVENTS, firstSeq, gapMs: GAP_MS, frame: (seq) => formatSse({ kind: 'event', event: { ...row!, id: row!.id + seq, seq } }) });
  log(`baseline: ${SUBSCRIBERS} EventEmitter listeners × ${EVENTS} events done`);

  const serverBefore: MemorySample = memory();
  child = fork(fileURLToPath(new URL('./subscriber-process.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: 'inherit' });
  const config: ChildConfig = { type: 'config', baseUrl: server.url, jobId: job.jobId, attempt: job.attempt, secret: job.secret, cookie: user.cookie, subscribers: SUBSCRIBERS, events: EVENTS, firstSeq, gapMs: GAP_MS, deliveryTimeoutMs: DELIVERY_TIMEOUT_MS };
  const connectedP = next(child, 'connected');
  child.send(config);
  const connected = await connectedP;
  await until(`${SUBSCRIBERS} hub subscribers`, () => hub.subscriberCount(job.jobId) === SUBSCRIBERS);
  const serverConnected = memory();
  log(`${SUBSCRIBERS} subscribers open in ${fmt(connected.openSeconds, 1)} s; sending ${EVENTS} events`);

  const resultsP = next(child, 'results');
  child.send({ type: 'go' });
  const results = await resultsP;
  const serverAfterEvents = memory();
  const closing = performance.now();
  child.send({ type: 'close' });
  await new Promise((r) => child!.once('exit', r));
  child = null;
  await until('subscribers to leave after the clients closed', () => hub.subscriberCount(job.jobId) === 0);
  const leaveSeconds = (performance.now() - closing) / 1000;
  const serverClosed = memory();
  const loadAfter = os.loadavg()[0]!;

  const http = summarize(results.latencies);
  const base = summarize(emitter.latencies);
  const ack = summarize([results.ackMs]);
  const mb = (n: number) => fmt(n / 2 ** 20, 1);
  const checks = [...results.failures];
  if (http.delivered !== EVENTS * SUBSCRIBERS) checks.push(`${EVENTS * SUBSCRIBERS - http.delivered} deliveries missing`);

  const body = `## ${DATABASE_KIND === 'pglite' ? 'PGlite (default, in memory)' : 'Postgres (BENCH_DATABASE_URL)'}

Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${machine()}.
1-minute load average ${fmt(loadBefore, 1)} before, ${fmt(loadAfter, 1)} after (the cores are shared with other sessions; a load above the core
count means the numbers include waiting for a core). Database: ${database}.

${SUBSCRIBERS} subscribers on one job, opened ${fmt(connected.openSeconds, 1)} s (${fmt(SUBSCRIBERS / connected.openSeconds)} a second, 50 in flight, each a cookie session check, a job
read and a replay of the job's stored events). Then ${EVENTS} signed \`job.metrics\` events, one at a time, ${GAP_MS} ms apart, each awaited until all
${SUBSCRIBERS} subscribers had it: ${http.delivered.toLocaleString('en-US')} of ${(EVENTS * SUBSCRIBERS).toLocaleString('en-US')} deliveries arrived.
Latency = start of the webhook POST → the frame's arrival at a subscriber (same process, same clock). The webhook call itself answered in
p50 ${fmt(ack.p50, 1)} ms / p99 ${fmt(ack.p99, 1)} ms.

| fan-out | deliveries | p50 ms | p99 ms | max ms | first subscriber, median over events ms | last subscriber, median over events ms | last subscriber, worst event ms |
|---|---|---|---|---|---|---|---|
${latencyRows([
    ['HTTP: webhook → NOTIFY → hub → 1,000 SSE streams', http],
    ['baseline: in-process EventEmitter → 1,000 listeners', base],
  ]).join('\n')}

HTTP p99 ÷ baseline p99: **${fmt(http.p99 / base.p99)}×**; last-subscriber medians: ${fmt(http.lastMedian / base.lastMedian)}×.

Memory (after a full GC; deltas ÷ ${SUBSCRIBERS}):

| where | RSS per connection | V8 heap per connection | buffers/external per connection |
|---|---|---|---|
${memoryRow('**server** (this process: route, generator, stream, socket) after connecting', serverBefore, serverConnected, SUBSCRIBERS)}
${memoryRow('server after the events (queues drained)', serverBefore, serverAfterEvents, SUBSCRIBERS)}
${memoryRow('client (subscriber process: socket, parser)', connected.before, connected.after, SUBSCRIBERS)}
${memoryRow('baseline: an EventEmitter listener', emitter.before, emitter.after, SUBSCRIBERS)}

Server process before connecting: RSS ${mb(serverBefore.rss)} MB, heap ${mb(serverBefore.heapUsed)} MB; with ${SUBSCRIBERS} connected: RSS ${mb(serverConnected.rss)} MB, heap ${mb(serverConnected.heapUsed)} MB;
${fmt(leaveSeconds, 2)} s after the subscriber process began closing its sockets, all ${SUBSCRIBERS} streams had unsubscribed from the hub; then: RSS ${mb(serverClosed.rss)} MB, heap ${mb(serverClosed.heapUsed)} MB (hub subscribers back to ${hub.subscriberCount(job.jobId)}).
Peak RSS of the server process over the whole run: ${fmt(process.resourceUsage().maxRSS / 1024)} MB.

Checks: ${checks.length ? checks.map((c) => `**${c}**`).join('; ') : 'every event reached every subscriber; no webhook call failed'}.`;
  const intro = `Generated by \`npm run bench sse-fanout\` (PGlite) and \`BENCH_DATABASE_URL=postgres://… npm run bench sse-fanout\` (Postgres); each run
replaces only its own section below. Code under test: \`GET /api/lora/jobs/:id/events\` (\`src/server/jobs/stream-events.ts\`, \`sse.ts\`,
\`events-hub.ts\`) and \`POST /api/lora/webhook\`, served by \`bench/webhook-ingest/server.ts\` (the real route handlers behind a loopback
\`node:http\` server). Subscribers and sender run in a child process (\`subscriber-process.ts\`).

${readFileSync(new URL('./NOTES.md', import.meta.url), 'utf8').trim()}`;
  writeResultsSection(new URL('./RESULTS.md', import.meta.url), 'sse-fanout benchmark', intro, DATABASE_KIND, body);
  log(body);
  log(`wrote bench/sse-fanout/RESULTS.md (${DATABASE_KIND} section)`);
  if (checks.length) exitCode = 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  child?.kill();
  agent.destroy();
  await server.close();
  await cleanupBenchEnv();
}
process.exit(exitCode);

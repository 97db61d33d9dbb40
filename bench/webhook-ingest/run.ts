// Benchmark of worker-event ingest: `npm run bench webhook-ingest` (PGlite in memory), or with
// BENCH_DATABASE_URL=postgres://… against a fresh database on that server.
// For N = 1, 4, 16 concurrent senders: EVENTS signed job.metrics events, seqs increasing, POSTed
// over real HTTP to the real POST /api/lora/webhook route of a `running` job (verify signature
// on the raw body, replay receipt, job row lock, state machine, INSERT, job update, pg_notify,
// commit). Baseline in the same run, same concurrency: a bare drizzle INSERT of the same rows
// into job_events. Each (N, round) gets its own job, so the per-job webhook rate limit
// (1,200 a minute) is never what is measured. A last phase spreads 16 senders over 16 jobs, to
// show what the per-job row lock costs. Writes this database's section of RESULTS.md.
import { BENCH_PORT, cleanupBenchEnv, DATABASE_KIND } from './env.ts';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { and, count, eq } from 'drizzle-orm';
import { getDb, tables } from '@/server/db';
import { agent, metricsEvent, postEvent } from './client.ts';
import { describeDatabase, fmt, machine, percentile, writeResultsSection } from './report.ts';
import { startBenchServer } from './server.ts';
import { createUser, startRunningJob, workerToken, type RunningJob } from './setup.ts';

const CONCURRENCY = [1, 4, 16] as const;
const EVENTS = 480; // per phase: divisible by every N, and well under 1,200 a minute per job and per IP
const WARMUP_EVENTS = 120;
const SPREAD_JOBS = 16;
const ROUNDS = 2;
// Baseline rows go to the same job under an attempt no worker ever has, so they cannot collide
// with the route's (job, attempt, seq) rows and leave the job itself untouched.
const BASELINE_ATTEMPT_OFFSET = 1000;
const DEADLINE_MS = 10 * 60_000;
const log = (s: string) => process.stdout.write(`${s}\n`);

setTimeout(() => {
  console.error(`webhook-ingest: still running after ${DEADLINE_MS / 60_000} minutes; giving up`);
  process.exit(1);
}, DEADLINE_MS).unref();

interface Phase {
  /** spread: N senders, each on its own job (the others: N senders on one job). */
  kind: 'webhook' | 'insert' | 'spread';
  senders: number;
  round: number;
  seconds: number;
  latencies: number[];
  errors: string[];
  /** This process's CPU time (user + system) over the phase, ms: server, senders, and PGlite when in use. */
  cpuMs: number;
}

/** `senders` loops share one seq counter, so seqs increase across the phase; each loop awaits its call. */
async function drive(senders: number, events: number, one: (seq: number, sender: number) => Promise<string | null>, firstSeq: number) {
  let next = firstSeq;
  const end = firstSeq + events;
  const latencies: number[] = [];
  const errors: string[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: senders }, async (_, sender) => {
      for (let seq = next++; seq < end; seq = next++) {
        const t = performance.now();
        const err = await one(seq, sender);
        latencies.push(performance.now() - t);
        if (err) errors.push(err);
      }
    }),
  );
  const cpu = process.cpuUsage(cpu0);
  return { seconds: (performance.now() - t0) / 1000, latencies, errors, cpuMs: (cpu.user + cpu.system) / 1000 };
}

let phaseNo = 0;
async function webhookPhase(baseUrl: string, job: RunningJob, senders: number, events: number, round: number): Promise<Phase> {
  const phase = ++phaseNo;
  // One address per sender and phase: the per-IP webhook limit is not what is measured either.
  const r = await drive(senders, events, async (seq, sender) => {
    const res = await postEvent(baseUrl, job.secret, metricsEvent(job.jobId, job.attempt, seq), `10.${phase}.${sender}.1`);
    return res.status === 200 ? null : `HTTP ${res.status} ${res.text.slice(0, 200)}`;
  }, job.nextSeq);
  job.nextSeq += events;
  return { kind: 'webhook', senders, round, ...r };
}

async function spreadPhase(baseUrl: string, jobs: RunningJob[], events: number): Promise<Phase> {
  const phase = ++phaseNo;
  const r = await drive(jobs.length, events, async (_seq, sender) => {
    const job = jobs[sender]!;
    const res = await postEvent(baseUrl, job.secret, metricsEvent(job.jobId, job.attempt, job.nextSeq++), `10.${phase}.${sender}.1`);
    return res.status === 200 ? null : `HTTP ${res.status} ${res.text.slice(0, 200)}`;
  }, 0);
  return { kind: 'spread', senders: jobs.length, round: 1, ...r };
}

async function insertPhase(job: RunningJob, senders: number, events: number, round: number): Promise<Phase> {
  const db = await getDb();
  const attempt = job.attempt + BASELINE_ATTEMPT_OFFSET;
  const r = await drive(senders, events, async (seq) => {
    const e = metricsEvent(job.jobId, attempt, seq);
    // The exact row the route stores for this event (eventRowType / eventRowPayload).
    await db.insert(tables.jobEvents).values({ jobId: job.jobId, attempt, seq, type: 'metrics', payload: { event: e.type, occurred_at: new Date().toISOString(), ...e.data } });
    return null;
  }, 0);
  return { kind: 'insert', senders, round, ...r };
}

async function storedMetrics(jobId: string, attempt: number): Promise<number> {
  const db = await getDb();
  const [row] = await db.select({ n: count() }).from(tables.jobEvents).where(and(eq(tables.jobEvents.jobId, jobId), eq(tables.jobEvents.attempt, attempt), eq(tables.jobEvents.type, 'metrics')));
  return Number(row?.n ?? 0);
}

const rate = (p: Phase) => p.latencies.length / p.seconds;
const describe = (p: Phase) =>
  `${p.kind.padEnd(7)} N=${String(p.senders).padStart(2)} round ${p.round}: ${fmt(rate(p)).padStart(5)} events/s  p50 ${fmt(percentile(p.latencies, 50), 2)} ms  p99 ${fmt(percentile(p.latencies, 99), 2)} ms${p.errors.length ? `  ${p.errors.length} ERRORS` : ''}`;

const loadBefore = os.loadavg()[0]!;
const server = await startBenchServer(BENCH_PORT);
let exitCode = 0;
try {
  const database = await describeDatabase();
  log(`database: ${database}`);
  const user = await createUser(server.url);
  const token = await workerToken();

  // Warm-up (discarded): JIT, lazy imports, prepared statements, the rate limiters, the pool.
  const warm = await startRunningJob(server.url, user, token);
  await insertPhase(warm, 4, WARMUP_EVENTS, 0);
  const w = await webhookPhase(server.url, warm, 4, WARMUP_EVENTS, 0);
  if (w.errors.length) throw new Error(`warm-up failed: ${w.errors[0]}`);

  const phases: Phase[] = [];
  const checks: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    for (const n of CONCURRENCY) {
      const job = await startRunningJob(server.url, user, token);
      // Alternate which goes first, so neither always runs on the warmer (or more loaded) machine.
      const pair = round % 2 === 1 ? [await insertPhase(job, n, EVENTS, round), await webhookPhase(server.url, job, n, EVENTS, round)] : [await webhookPhase(server.url, job, n, EVENTS, round), await insertPhase(job, n, EVENTS, round)];
      for (const p of pair) log(describe(p));
      phases.push(...pair);
      const stored = await storedMetrics(job.jobId, job.attempt);
      if (stored !== EVENTS) checks.push(`N=${n} round ${round}: ${stored} of ${EVENTS} webhook events stored`);
    }
  }
  // 16 senders, 16 jobs (two more users: job creation is rate-limited per user and address).
  const spreadUsers = [await createUser(server.url, '198.18.8.1'), await createUser(server.url, '198.18.8.2')];
  const spreadJobs: RunningJob[] = [];
  for (let i = 0; i < SPREAD_JOBS; i++) spreadJobs.push(await startRunningJob(server.url, spreadUsers[i % 2]!, token));
  const spread = await spreadPhase(server.url, spreadJobs, EVENTS);
  log(describe(spread));
  phases.push(spread);
  let spreadStored = 0;
  for (const j of spreadJobs) spreadStored += await storedMetrics(j.jobId, j.attempt);
  if (spreadStored !== EVENTS) checks.push(`spread: ${spreadStored} of ${EVENTS} webhook events stored`);

  const loadAfter = os.loadavg()[0]!;
  const errors = phases.flatMap((p) => p.errors);
  if (errors.length) checks.push(`${errors.length} webhook calls failed, first: ${errors[0]}`);

  const of = (kind: Phase['kind'], n: number) => phases.filter((p) => p.kind === kind && p.senders === n);
  const best = (ps: Phase[]) => Math.max(...ps.map(rate));
  const pooled = (ps: Phase[]) => ps.flatMap((p) => p.latencies);
  const cpuPer = (p: Phase) => p.cpuMs / p.latencies.length;
  const cpu = (ps: Phase[]) => fmt(Math.min(...ps.map(cpuPer)), 2);
  const summary = CONCURRENCY.map((n) => {
    const hook = of('webhook', n);
    const ins = of('insert', n);
    const lat = pooled(hook);
    const insLat = pooled(ins);
    return `| ${n} | **${fmt(best(hook))}** | ${fmt(percentile(lat, 50), 2)} | **${fmt(percentile(lat, 99), 2)}** | ${fmt(percentile(lat, 100), 1)} | ${fmt(best(ins))} | ${fmt(percentile(insLat, 50), 2)} | ${fmt(percentile(insLat, 99), 2)} | **${fmt(best(ins) / best(hook), 1)}×** (${fmt((100 * best(hook)) / best(ins))} %) | ${cpu(hook)} / ${cpu(ins)} |`;
  });
  const insMax = of('insert', SPREAD_JOBS);
  const spreadLat = spread.latencies;
  summary.push(`| ${SPREAD_JOBS}, **one job each** (1 round) | **${fmt(rate(spread))}** | ${fmt(percentile(spreadLat, 50), 2)} | **${fmt(percentile(spreadLat, 99), 2)}** | ${fmt(percentile(spreadLat, 100), 1)} | ${fmt(best(insMax))} (N=${SPREAD_JOBS} above) | | | **${fmt(best(insMax) / rate(spread), 1)}×** (${fmt((100 * rate(spread)) / best(insMax))} %) | ${cpu([spread])} / ${cpu(insMax)} |`);
  const rows = phases.map((p) => `| ${p.round} | ${p.senders} | ${p.kind} | ${fmt(p.seconds, 2)} | ${fmt(rate(p))} | ${fmt(percentile(p.latencies, 50), 2)} | ${fmt(percentile(p.latencies, 99), 2)} | ${fmt(cpuPer(p), 2)} | ${p.errors.length} |`);

  const body = `## ${DATABASE_KIND === 'pglite' ? 'PGlite (default, in memory)' : 'Postgres (BENCH_DATABASE_URL)'}

Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. Machine: ${machine()}.
1-minute load average ${fmt(loadBefore, 1)} before, ${fmt(loadAfter, 1)} after (the cores are shared with other sessions; a load above the core
count means the numbers include waiting for a core). Database: ${database}.

${EVENTS} events per phase, ${ROUNDS} rounds after a ${WARMUP_EVENTS}-event warm-up; each round runs the baseline and the webhook phase of one
N back to back on a fresh running job (alternating which goes first). Rates are best-of-${ROUNDS}; latencies pool both rounds
(${ROUNDS * EVENTS} calls per cell). Latency = one sender's call, from just before signing to the last byte of the response.
CPU = this process's user + system time over the phase ÷ events (best round): the HTTP server, the senders and — on PGlite — the
database itself; on Postgres the server's backends are other processes and not in it. The last row sends the same ${EVENTS} events from ${SPREAD_JOBS} senders to ${SPREAD_JOBS} running jobs, one each (its ratio is to the N = ${SPREAD_JOBS} bare INSERT).

| senders N (on one job, unless noted) | webhook events/s | p50 ms | p99 ms | max ms | bare INSERT rows/s | INSERT p50 ms | INSERT p99 ms | INSERT ÷ webhook (webhook as % of INSERT) | process CPU ms per event: webhook / INSERT |
|---|---|---|---|---|---|---|---|---|---|
${summary.join('\n')}

Checks: ${checks.length ? checks.map((c) => `**${c}**`).join('; ') : `every webhook call answered 200 and every phase stored exactly ${EVENTS} metrics rows`}.

<details><summary>Every phase</summary>

| round | N | phase | seconds | per second | p50 ms | p99 ms | process CPU ms per call | errors |
|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

</details>`;
  const intro = `Generated by \`npm run bench webhook-ingest\` (PGlite) and \`BENCH_DATABASE_URL=postgres://… npm run bench webhook-ingest\` (Postgres);
each run replaces only its own section below. Code under test: \`POST /api/lora/webhook\` → \`src/server/webhooks/ingest-worker.ts\`, served by
\`bench/webhook-ingest/server.ts\` (the real route handler behind a loopback \`node:http\` server, as in \`tests/e2e/app-server.ts\`).

${readFileSync(new URL('./NOTES.md', import.meta.url), 'utf8').trim()}`;
  writeResultsSection(new URL('./RESULTS.md', import.meta.url), 'webhook-ingest benchmark', intro, DATABASE_KIND, body);
  log(`\n${summary.join('\n')}\n${checks.join('\n') || 'checks passed'}\nwrote bench/webhook-ingest/RESULTS.md (${DATABASE_KIND} section)`);
  if (checks.length) exitCode = 1;
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  agent.destroy();
  await server.close();
  await cleanupBenchEnv();
}
process.exit(exitCode);

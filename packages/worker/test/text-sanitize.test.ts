// The worker sends only text Postgres can store: a trainer that prints a NUL, a broken
// surrogate pair or terminal control bytes must not produce an event the control plane cannot
// keep (issue #11 / #7). Log lines: NUL and lone surrogates → U+FFFD, ANSI colour codes and
// other C0 controls dropped, tabs kept. Every other string of an event: NUL and lone
// surrogates → U+FFFD.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deriveJobSigningSecret, type WorkerEventOf } from '@lora-studio/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventOutbox } from '../src/events/outbox.ts';
import { silentLogger } from '../src/io/logger.ts';
import { JobLog } from '../src/runner/job-log.ts';
import { lastLines, splitLines } from '../src/runner/limits.ts';
import { ControlPlaneStandIn } from './harness/control-plane.ts';
import { FAST } from './harness/fixtures.ts';

const DIRTY = ['loss\u0000=0.5', 'half \ud83d pair', 'low \ude00 alone', '\u001b[31mred\u001b[0m\tcol2\u0007\u0008\u001f', 'ok 😀'];
const CLEAN = ['loss\uFFFD=0.5', 'half \uFFFD pair', 'low \uFFFD alone', 'red\tcol2', 'ok 😀'];

describe('log line sanitiser', () => {
  it('splitLines and lastLines: NUL and lone surrogates → U+FFFD, ANSI and C0 controls out, tab kept', () => {
    expect(splitLines(DIRTY)).toEqual(CLEAN);
    expect(lastLines(['a\u0000b\nc\u0001d'])).toEqual(['a\uFFFDb', 'cd']);
  });

  it('JobLog: the job.log batch, the log file and the failure tail all carry the clean text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'worker-text-'));
    try {
      const sent: string[][] = [];
      const log = new JobLog({ path: join(dir, 'job.log'), maxFileBytes: 1 << 20, batchMs: 10_000, send: (_s, lines) => sent.push(lines) });
      log.add('stdout', DIRTY);
      expect(log.lastLines()).toEqual(CLEAN);
      await log.close();
      expect(sent).toEqual([CLEAN]);
      expect(readFileSync(join(dir, 'job.log'), 'utf8')).toBe(`${CLEAN.join('\n')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('EventOutbox sends storable text only', () => {
  let cp: ControlPlaneStandIn;
  beforeAll(async () => {
    cp = await ControlPlaneStandIn.start();
  });
  afterAll(() => cp.stop());

  it('a job.failed message, last_lines and a job.log line with NULs arrive as U+FFFD, in order, nothing dropped', async () => {
    const jobId = 'job_text_nul';
    const box = new EventOutbox({ eventsUrl: `${cp.url}/api/lora/webhook`, jobId, attempt: 1, secret: deriveJobSigningSecret(cp.master, jobId, 1), log: silentLogger, backoff: FAST.eventBackoff });
    box.enqueue('job.started', { worker_id: 'w-text', backend: 'cpu-reference', gpu: 'RTX\ud800' });
    box.enqueue('job.log', { stream: 'stdout', lines: ['a\u0000b', '\u001b[1mbold\u001b[0m'] });
    box.enqueue('job.failed', { code: 'backend_error', message: 'died\u0000 \udfff', retryable: false, last_lines: ['x\u0000\u0007'] });
    expect(await box.drain()).toBe(true);
    const events = cp.eventsOf(jobId);
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2]);
    expect((events[0] as WorkerEventOf<'job.started'>).data).toMatchObject({ worker_id: 'w-text', gpu: 'RTX\uFFFD' });
    expect((events[1] as WorkerEventOf<'job.log'>).data.lines).toEqual(['a\uFFFDb', 'bold']);
    expect((events[2] as WorkerEventOf<'job.failed'>).data).toMatchObject({ message: 'died\uFFFD \uFFFD', last_lines: ['x\uFFFD'] });
  });
});

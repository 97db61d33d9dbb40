// events/: the ordered, signed, at-least-once outbox, alone and inside a job while the
// control plane goes away and comes back.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveJobSigningSecret, generateWebhookSecret, type WorkerEventOf } from '@lora-studio/protocol';
import { buildCapabilities } from '../src/capabilities.ts';
import { EventOutbox } from '../src/events/outbox.ts';
import { silentLogger } from '../src/io/logger.ts';
import { startPullWorker } from '../src/pull/worker.ts';
import { ControlPlaneStandIn, sha256 } from './harness/control-plane.ts';
import { FAST, imageZip, leftovers, tempRoot } from './harness/fixtures.ts';
import { captureLogger } from './harness/logger.ts';
import { testBackend } from './harness/test-backend.ts';

let cp: ControlPlaneStandIn;
beforeAll(async () => {
  cp = await ControlPlaneStandIn.start();
});
afterAll(() => cp.stop());

function outbox(jobId: string, secret = deriveJobSigningSecret(cp.master, jobId, 1)) {
  return new EventOutbox({ eventsUrl: `${cp.url}/api/lora/webhook`, jobId, attempt: 1, secret, log: silentLogger, backoff: FAST.eventBackoff });
}

const started = { worker_id: 'w-ev', backend: 'cpu-reference', gpu: null } as const;
const log = (line: string) => ({ stream: 'worker' as const, lines: [line] });

describe('EventOutbox', () => {
  it('retries through 503s with the same webhook-id, in order, losing nothing', async () => {
    cp.failNextEvents = 3;
    const box = outbox('job_ev_503');
    box.enqueue('job.started', started);
    for (let i = 0; i < 5; i++) box.enqueue('job.log', log(`line ${i}`));
    expect(await box.drain()).toBe(true);
    const events = cp.eventsOf('job_ev_503');
    expect(events.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(events.slice(1).map((e) => (e as WorkerEventOf<'job.log'>).data.lines[0])).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    // The three refused tries and the accepted one carried one webhook-id: one event, re-signed.
    const firstFour = cp.deliveries.filter((d) => d.webhookId === cp.deliveries.find((x) => x.seq === 0 && x.status === 202)?.webhookId);
    expect(firstFour.map((d) => d.status)).toEqual([503, 503, 503, 202]);
    expect(box.delivered).toBe(6);
  });

  it('counts a 409 for a retried webhook-id as delivered when the first answer was lost', async () => {
    cp.loseNextAnswers = 1;
    const box = outbox('job_ev_lost');
    box.enqueue('job.started', started);
    box.enqueue('job.log', log('after'));
    expect(await box.drain()).toBe(true);
    expect(cp.eventsOf('job_ev_lost').map((e) => e.seq)).toEqual([0, 1]);
    const tries = cp.deliveries.filter((d) => d.webhookId === cp.deliveries.find((x) => x.status === 0)?.webhookId);
    expect(tries.map((d) => d.status)).toEqual([0, 409]);
    expect(box).toMatchObject({ delivered: 2, dropped: 0 });
  });

  it('drops an event the control plane refuses for good (4xx) and goes on with the next', async () => {
    const box = outbox('job_ev_refused', generateWebhookSecret()); // not this job's key → 401
    box.enqueue('job.started', started);
    box.enqueue('job.log', log('x'));
    expect(await box.drain()).toBe(true);
    expect(box).toMatchObject({ delivered: 0, dropped: 2 });
    expect(cp.eventsOf('job_ev_refused')).toEqual([]);
  });

  it('gives an invalid event no seq, and coalesces queued progress without gaps', async () => {
    const box = outbox('job_ev_seq');
    expect(box.enqueue('job.progress', { step: -1, total_steps: 10, stage: 'training' })).toBeNull();
    expect(box.enqueue('job.started', started)).toBe(0); // in flight: never rewritten
    expect(box.enqueue('job.progress', { step: 1, total_steps: 10, stage: 'training' })).toBe(1);
    expect(box.enqueue('job.progress', { step: 2, total_steps: 10, stage: 'training' })).toBe(1);
    expect(box.enqueue('job.progress', { step: 3, total_steps: 10, stage: 'training' })).toBe(1);
    expect(box.enqueue('job.progress', { step: 3, total_steps: 10, stage: 'uploading' })).toBe(2);
    expect(await box.drain()).toBe(true);
    const events = cp.eventsOf('job_ev_seq') as WorkerEventOf<'job.progress'>[];
    expect(events.map((e) => [e.seq, e.data.step, e.data.stage])).toEqual([
      [0, undefined, undefined],
      [1, 3, 'training'],
      [2, 3, 'uploading'],
    ]);
  });
});

describe('a job while the control plane is down for a few seconds', () => {
  it('delivers every event exactly once, in order, after it comes back', async () => {
    const down = await ControlPlaneStandIn.start();
    const root = tempRoot();
    down.addDataset('images.zip', imageZip());
    const spec = down.makeSpec({ jobId: 'job_ev_outage', dataset: { name: 'images.zip', format: 'images-zip' }, steps: 6, checkpoints: 3, samples: 2 });
    down.enqueue(spec);
    const backend = testBackend({ pauseAt: 3, checkpointEvery: 2, sampleAt: [4, 6], logLinesPerStep: 3 });
    const logger = captureLogger();
    const w = startPullWorker({
      controlPlane: down.url,
      token: down.token,
      workerId: 'w-outage',
      capabilities: buildCapabilities({ backends: ['cpu-reference'], gpu: null }),
      backends: [backend],
      concurrency: 1,
      workRoot: root,
      log: logger,
      jobOptions: FAST,
    });
    await backend.paused;
    await down.waitForEvent((e) => e.type === 'job.checkpoint' && e.data.step === 2);
    const before = down.eventsOf('job_ev_outage').length;
    await down.stop();
    backend.open(); // steps 3–6, a checkpoint, samples, the artifact: all while nobody listens
    // Down long enough for both the events and the checkpoint uploads to have failed repeatedly.
    await logger.waitFor(/event delivery failed, retrying/, 5);
    await logger.waitFor(/upload of checkpoint at step 4 failed, retrying/, 2);
    await down.listen(down.port);
    const terminal = await down.waitForTerminal('job_ev_outage');
    await w.shutdown('test over');

    const events = down.eventsOf("job_ev_outage");
    expect(events.length).toBeGreaterThan(before);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
    expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
    expect(terminal).toBe(events.at(-1));
    expect(terminal.type).toBe('job.succeeded');
    const steps = events.filter((e) => e.type === 'job.metrics').map((e) => (e as WorkerEventOf<'job.metrics'>).data.step);
    expect(steps).toEqual([1, 2, 3, 4, 5, 6]);
    const { artifact } = (terminal as WorkerEventOf<'job.succeeded'>).data;
    expect(sha256(down.objects.get(artifact.key)!.bytes)).toBe(artifact.sha256);
    expect(events.filter((e) => e.type === 'job.checkpoint')).toHaveLength(3);
    expect(leftovers(root)).toEqual([]);
    await down.stop();
    rmSync(root, { recursive: true, force: true });
  });
});

import { encodeEvent, parseWorkerEvent } from '@lora-studio/protocol';
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { getDb, tables } from '@/server/db';
import { JOB_CONFIG } from '@/server/jobs/config';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { systemContext } from '@/server/scheduler/context';
import { getStorage } from '@/server/storage';
import { applyWorkerEvent } from '@/server/webhooks/apply-event';
import { jobBody, kohyaLora, lease, postJob, sendEvent, sha256, TINY_MODULES, trainer, workerToken } from './fixtures.ts';

const hours = (h: number) => new Date(Date.now() + h * 3600_000);
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

async function leased() {
  const t = await trainer();
  const id = (await postJob(t, jobBody(t))).body.id as string;
  const token = await workerToken();
  for (;;) {
    const l = await lease(token);
    if (l.status !== 200) throw new Error('not leased');
    if (l.body.spec.job_id === id) return { t, id, spec: l.body.spec };
  }
}

beforeEach(async () => {
  const live = inArray(tables.loraJobs.status, ['queued', 'dispatched', 'running', 'cancel_requested']);
  await (await getDb()).update(tables.loraJobs).set({ status: 'canceled', leaseExpiresAt: null }).where(live);
});

describe('scheduler tick', () => {
  it('past the deadline: a queued job ends canceled, a running one fails, both with deadline_exceeded', async () => {
    const t = await trainer({ plan: 'enterprise' });
    const queued = (await postJob(t, jobBody(t))).body.id as string;
    const { id: running } = await leased();
    await sendEvent({ type: 'job.started', job_id: running, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } });
    // Keep the lease alive at the future instant so only the deadline can end it.
    await (await getDb()).update(tables.loraJobs).set({ leaseExpiresAt: hours(JOB_CONFIG.deadlineHours + 2) }).where(eq(tables.loraJobs.id, running));
    const report = await runSchedulerTick(hours(JOB_CONFIG.deadlineHours + 1));
    expect(report.past_deadline).toBe(2);
    expect(await jobRow(queued)).toMatchObject({ status: 'canceled', error: { code: 'deadline_exceeded' } });
    expect(await jobRow(running)).toMatchObject({ status: 'failed', error: { code: 'deadline_exceeded' } });
  });

  it('resumes an artifact verification that a crash interrupted', async () => {
    const { id, spec } = await leased();
    const lora = kohyaLora({ rank: 4, alpha: 4, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    await getStorage().driver.putStream(spec.outputs.artifact.key, lora, { contentType: 'application/octet-stream', maxBytes: lora.length });
    // The event is accepted and stored, then the process "dies" before verifying.
    const event = parseWorkerEvent(JSON.parse(encodeEvent({ type: 'job.succeeded', job_id: id, attempt: 1, seq: 0, occurred_at: new Date().toISOString(), data: { artifact: { key: spec.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: {}, gpu_seconds: 0 } })));
    const ctx = await systemContext('test');
    const applied = await applyWorkerEvent(ctx, event, 'msg_crash_1', new Date());
    expect(applied.verify).toBe(true);
    expect(await jobRow(id)).toMatchObject({ status: 'running', stage: 'verifying' });
    const report = await runSchedulerTick(new Date(Date.now() + (JOB_CONFIG.verifyStaleSeconds + 5) * 1000));
    expect(report.verifications_resumed).toBe(1);
    expect(await jobRow(id)).toMatchObject({ status: 'succeeded', stage: 'done' });
  });

  it('finishes a deferred purge of a deleted model', async () => {
    const t = await trainer();
    const db = await getDb();
    await db.update(tables.loraModels).set({ deletedAt: new Date() }).where(eq(tables.loraModels.id, t.modelId));
    const [ds] = await db.select().from(tables.loraDatasets).where(eq(tables.loraDatasets.id, t.datasetId));
    expect(await getStorage().driver.head(ds!.archiveKey!)).not.toBeNull();
    const report = await runSchedulerTick(new Date());
    expect(report.purges_finished).toBeGreaterThanOrEqual(1);
    const [model] = await db.select().from(tables.loraModels).where(eq(tables.loraModels.id, t.modelId));
    expect(model!.purgedAt).not.toBeNull();
    expect(await getStorage().driver.head(ds!.archiveKey!)).toBeNull();
  });
});

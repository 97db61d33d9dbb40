import { deriveJobSigningSecret, LeaseResponse } from '@lora-studio/protocol';
import { eq, inArray } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import * as heartbeatRoute from '@/app/api/workers/heartbeat/route';
import { getDb, tables } from '@/server/db';
import { JOB_CONFIG } from '@/server/jobs/config';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { workerMasterSecret } from '@/server/webhooks/secrets';
import { call } from '../helpers/http.ts';
import { jobBody, lease, postJob, trainer, workerToken } from '../jobs/fixtures.ts';

const later = (seconds: number) => new Date(Date.now() + seconds * 1000);
const heartbeat = (token: string, body: object) => call(heartbeatRoute.POST, '/api/workers/heartbeat', { body, headers: { authorization: `Bearer ${token}` } });
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

// Each test starts with no live job: the lease picks the OLDEST queued job of any workspace,
// and the reaper looks at every workspace's leases.
beforeEach(async () => {
  const live = inArray(tables.loraJobs.status, ['queued', 'dispatched', 'running', 'cancel_requested']);
  await (await getDb()).update(tables.loraJobs).set({ status: 'canceled', leaseExpiresAt: null }).where(live);
});

describe('POST /api/workers/lease', () => {
  it('hands out a valid spec with the attempt key, then 204; bad token → 401, bad body → 422', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const token = await workerToken();
    const res = await lease(token);
    expect(res.status).toBe(200);
    const l = LeaseResponse.parse(res.body);
    expect(l.spec).toMatchObject({ job_id: job.body.id, attempt: 1, modality: 'image', kind: 'identity', backend: 'cpu-reference', base_model: { id: 'sdxl-base-1.0', family: 'sdxl' } });
    expect(l.signing_secret).toBe(deriveJobSigningSecret(workerMasterSecret(), job.body.id, 1));
    expect(l.spec.outputs.samples).toHaveLength(JOB_CONFIG.sampleSlots);
    expect(l.spec.callback).toEqual({ events_url: 'http://localhost:3000/api/lora/webhook', heartbeat_url: 'http://localhost:3000/api/workers/heartbeat' });
    expect(await jobRow(job.body.id)).toMatchObject({ status: 'dispatched', backend: 'cpu-reference', leaseOwner: expect.stringMatching(/\/w-1$/) });
    expect((await lease(token)).status).toBe(204);
    expect((await lease('lsw_not-a-token')).status).toBe(401);
    expect((await lease(token, 'w-1', { modalities: [] })).status).toBe(422);
  });

  it('two workers leasing at once never get the same job', async () => {
    const t = await trainer({ plan: 'enterprise' });
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await postJob(t, jobBody(t))).body.id);
    const tokens = await Promise.all([workerToken(), workerToken()]);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => lease(tokens[i % 2]!, `w-${i}`)));
    const leased = answers.filter((a) => a.status === 200).map((a) => a.body.spec.job_id as string);
    expect(leased.sort()).toEqual([...ids].sort());
    expect(answers.filter((a) => a.status === 204)).toHaveLength(3);
  });

  it('only matching workers get a job: an axolotl (text) worker does not get an image job', async () => {
    const t = await trainer();
    await postJob(t, jobBody(t));
    const token = await workerToken();
    expect((await lease(token, 'llm', { modalities: ['text'], base_families: ['llama'], backends: ['axolotl'], gpu: { name: 'A100', vram_mb: 81920, count: 1 } })).status).toBe(204);
    const gpu = await lease(token, 'gpu', { modalities: ['image'], base_families: ['sdxl'], backends: ['kohya'], gpu: { name: 'A100', vram_mb: 81920, count: 1 } });
    expect(gpu.status).toBe(200);
    expect(gpu.body.spec.backend).toBe('kohya');
  });

  it('an expired lease re-queues the job as attempt 2, which another worker finishes', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const token = await workerToken();
    expect((await lease(token, 'dies')).status).toBe(200);
    const report = await runSchedulerTick(later(JOB_CONFIG.leaseSeconds + 5));
    expect(report.leases_reaped).toBe(1);
    expect(await jobRow(job.body.id)).toMatchObject({ status: 'queued', attempt: 2, leaseOwner: null });
    const second = await lease(token, 'survivor');
    expect(second.body.spec).toMatchObject({ job_id: job.body.id, attempt: 2 });
    expect(second.body.signing_secret).toBe(deriveJobSigningSecret(workerMasterSecret(), job.body.id, 2));
    expect(second.body.spec.outputs.artifact.key).toContain('/a2-');
  });

  it('a lease that expires on every attempt ends failed with lease_expired after max_attempts', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const token = await workerToken();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const l = await lease(token, `dies-${attempt}`);
      expect(l.body.spec.attempt).toBe(attempt);
      await runSchedulerTick(later(attempt * (JOB_CONFIG.leaseSeconds + 5)));
    }
    const row = await jobRow(job.body.id);
    expect(row).toMatchObject({ status: 'failed', attempt: 3, error: { code: 'lease_expired' } });
    const [version] = await (await getDb()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, row.loraVersionId));
    expect(version!.status).toBe('failed');
    expect((await lease(token)).status).toBe(204);
  });
});

describe('POST /api/workers/heartbeat', () => {
  it('extends the lease for its holder, answers cancel after a cancel request, and no lease to others', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const token = await workerToken();
    await lease(token, 'w-hb');
    const before = (await jobRow(job.body.id)).leaseExpiresAt!;
    const beat = await heartbeat(token, { worker_id: 'w-hb', job_id: job.body.id, attempt: 1, step: 3 });
    expect(beat.status).toBe(200);
    expect(beat.body.cancel).toBe(false);
    expect(new Date(beat.body.lease_expires_at).getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect((await heartbeat(token, { worker_id: 'someone-else', job_id: job.body.id, attempt: 1 })).body).toEqual({ cancel: false, lease_expires_at: null });
    expect((await heartbeat(token, { worker_id: 'w-hb', job_id: job.body.id, attempt: 2 })).body.lease_expires_at).toBeNull();
    const other = await workerToken();
    expect((await heartbeat(other, { worker_id: 'w-hb', job_id: job.body.id, attempt: 1 })).body.lease_expires_at).toBeNull();

    const canceled = await call(cancelRoute.POST, `/api/lora/jobs/${job.body.id}/cancel`, { cookie: t.cookie, params: { id: job.body.id }, body: {} });
    expect(canceled.body.status).toBe('cancel_requested');
    const told = await heartbeat(token, { worker_id: 'w-hb', job_id: job.body.id, attempt: 1 });
    expect(told.body.cancel).toBe(true);
    expect(told.body.lease_expires_at).not.toBeNull();
    expect((await heartbeat('lsw_nope', { worker_id: 'w-hb', job_id: job.body.id, attempt: 1 })).status).toBe(401);
  });
});

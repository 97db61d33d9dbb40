import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, tables } from '@/server/db';
import { sha256Hex } from '@/server/jobs/consent';
import { resetRateLimitsForTests } from '@/server/http/rate-limit';
import { CONSENT, insertDataset, jobBody, postJob, setPlan, trainer } from './fixtures.ts';

describe('POST /api/lora/jobs', () => {
  it('creates version 1 (pending) and a queued job, records consent and audits it', async () => {
    const t = await trainer();
    const res = await postJob(t, jobBody(t, { target_platform: 'sdxl' }));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'queued', attempt: 1, max_attempts: 3, provider: 'worker_pool', base_model: 'sdxl-base-1.0', idempotent_replay: false });
    expect(res.body.version).toMatchObject({ number: 1, status: 'pending', params: { steps: 50, rank: 8, alpha: 8, learning_rate: 1e-4, resolution: 1024 } });
    expect(res.body.id).toMatch(/^job_/);
    expect(new Date(res.body.deadline_at).getTime()).toBeGreaterThan(Date.now());

    const db = await getDb();
    const [consent] = await db.select().from(tables.consents).where(eq(tables.consents.jobId, res.body.id));
    expect(consent).toMatchObject({ userId: t.userId, datasetId: t.datasetId, statementVersion: 'v1', ip: t.ip, statementHash: sha256Hex(CONSENT.image.statement) });
    const audit = await db.select().from(tables.auditLog).where(eq(tables.auditLog.workspaceId, t.workspaceId));
    expect(audit.map((a) => a.action).sort()).toEqual(['consent.grant', 'job.create', 'model.create']);
    const second = await postJob(t, jobBody(t));
    expect(second.body.version.number).toBe(2);
  });

  it('one Idempotency-Key → one job and one version, replays answer 200 with the same job', async () => {
    const t = await trainer();
    const [a, b] = await Promise.all([postJob(t, jobBody(t), 'same-key-1'), postJob(t, jobBody(t), 'same-key-1')]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body.id).toBe(b.body.id);
    const again = await postJob(t, jobBody(t), 'same-key-1');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: a.body.id, idempotent_replay: true });
    const db = await getDb();
    expect(await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, t.workspaceId))).toHaveLength(1);
    expect(await db.select().from(tables.loraVersions).where(eq(tables.loraVersions.loraModelId, t.modelId))).toHaveLength(1);
    expect(await db.select().from(tables.consents).where(eq(tables.consents.workspaceId, t.workspaceId))).toHaveLength(1);
    // The same key for a different request is a client bug, not a replay.
    const other = await postJob(t, jobBody(t, { base_model: 'flux-dev' }), 'same-key-1');
    expect(other.status).toBe(409);
  });

  it('requires the Idempotency-Key header', async () => {
    const t = await trainer();
    const res = await postJob(t, jobBody(t), null);
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/Idempotency-Key/);
  });

  it('Free plan → 402 with a clear refusal, nothing written', async () => {
    const t = await trainer({ plan: 'free' });
    const res = await postJob(t, jobBody(t));
    expect(res.status).toBe(402);
    expect(res.body.error.message).toMatch(/^Training is not included in the Free plan/);
    const db = await getDb();
    expect(await db.select().from(tables.loraVersions).where(eq(tables.loraVersions.loraModelId, t.modelId))).toHaveLength(0);
    expect(await db.select().from(tables.consents).where(eq(tables.consents.workspaceId, t.workspaceId))).toHaveLength(0);
  });

  it('no consent, or not the exact statement → 422 naming the field', async () => {
    const t = await trainer();
    const { consent: _omit, ...noConsent } = jobBody(t);
    const missing = await postJob(t, noConsent);
    expect(missing.status).toBe(422);
    expect(missing.body.error.details[0].path).toBe('consent');
    const declined = await postJob(t, jobBody(t, { consent: { ...CONSENT.image, accepted: false } }));
    expect(declined.status).toBe(422);
    const wrongText = await postJob(t, jobBody(t, { consent: { ...CONSENT.image, statement: 'ok' } }));
    expect(wrongText.status).toBe(422);
    expect(wrongText.body.error.message).toContain(CONSENT.image.statement);
    const textStatementOnImages = await postJob(t, jobBody(t, { consent: CONSENT.text }));
    expect(textStatementOnImages.status).toBe(422);
  });

  it('bad params and bases → 422 with the field', async () => {
    const t = await trainer();
    const cases: [Record<string, unknown>, string][] = [
      [{ params: { rank: 0 } }, 'params.rank'],
      [{ params: { learning_rate: 5 } }, 'params.learning_rate'],
      [{ params: { resolution: 1000 } }, 'params.resolution'],
      [{ params: { max_seq_len: 512 } }, 'params.max_seq_len'],
      [{ base_model: 'sora-2-pro' }, 'base_model'],
      [{ base_model: 'llama-3.1-8b-instruct' }, 'base_model'],
      [{ target_platform: 'nope' }, 'target_platform'],
    ];
    for (const [extra, path] of cases) {
      const res = await postJob(t, jobBody(t, extra));
      expect(res.status, JSON.stringify(extra)).toBe(422);
      expect(res.body.error.details[0].path).toBe(path);
    }
    const platform = await postJob(t, jobBody(t, { base_model: 'sora-2-pro' }));
    expect(platform.body.error.message).toMatch(/target platform, not a trainable base model/);
  });

  it('dataset not ready or blocked → 412 with the reason', async () => {
    const t = await trainer();
    const validating = await insertDataset({ workspaceId: t.workspaceId, ownerId: t.userId, modelId: t.modelId, modality: 'image', status: 'validating' });
    const a = await postJob(t, jobBody(t, { dataset_id: validating }));
    expect(a.status).toBe(412);
    expect(a.body.error.message).toMatch(/validating, not ready/);
    const blocked = await insertDataset({ workspaceId: t.workspaceId, ownerId: t.userId, modelId: t.modelId, modality: 'image', verdict: 'block' });
    const b = await postJob(t, jobBody(t, { dataset_id: blocked }));
    expect(b.status).toBe(412);
    expect(b.body.error.details.reasons[0]).toMatch(/at least 15/);
  });

  it("another workspace's model or dataset → 404, before any quota or consent check", async () => {
    const a = await trainer();
    const b = await trainer({ plan: 'free' });
    expect((await postJob(b, jobBody(a))).status).toBe(404);
    expect((await postJob(b, jobBody(b, { dataset_id: a.datasetId }))).status).toBe(404);
  });

  it('rate limit → 429 with Retry-After', async () => {
    resetRateLimitsForTests();
    const t = await trainer({ plan: 'enterprise' });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await postJob(t, jobBody(t))).status);
    expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
    const last = await postJob(t, jobBody(t));
    expect(last.status).toBe(429);
    expect(last.body.error.details.policy).toBe('jobs');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
    resetRateLimitsForTests();
  });

  it('a text LoRA takes epochs and the text consent statement', async () => {
    const t = await trainer({ modality: 'text' });
    const res = await postJob(t, jobBody(t, {}, 'text'));
    expect(res.status).toBe(201);
    expect(res.body.version.params).toMatchObject({ epochs: 1, rank: 8, alpha: 32 });
    expect(res.body.version.params.steps).toBeUndefined();
    const db = await getDb();
    await setPlan(t.workspaceId, 'free');
    const refused = await postJob(t, jobBody(t, {}, 'text'));
    expect(refused.status).toBe(402);
    const jobs = await db.select().from(tables.loraJobs).where(and(eq(tables.loraJobs.workspaceId, t.workspaceId)));
    expect(jobs).toHaveLength(1);
  });
});

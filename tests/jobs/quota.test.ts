// Pro quota with PLAN_PRO_OVERRIDE=2, set before the database (and its plan seed) opens.
import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import * as retryRoute from '@/app/api/lora/jobs/[id]/retry/route';
import { overrideEnvForTests } from '@/env';
import { getDb, tables } from '@/server/db';
import { call, peerHeaders } from '../helpers/http.ts';
import { jobBody, postJob, trainer } from './fixtures.ts';

beforeAll(() => {
  overrideEnvForTests({ PLAN_PRO_OVERRIDE: 2 });
});

describe('Pro plan quota (training_jobs_per_month)', () => {
  it('concurrent requests never exceed the quota; the refusal says used/limit/resets_at', async () => {
    const t = await trainer({ plan: 'pro' });
    const results = await Promise.all(Array.from({ length: 5 }, () => postJob(t, jobBody(t))));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 201, 429, 429, 429]);
    const refused = results.find((r) => r.status === 429)!;
    const now = new Date();
    expect(refused.body.error.details).toMatchObject({ limit_name: 'training_jobs_per_month', used: 2, limit: 2, resets_at: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString() });
    expect(refused.body.error.message).toMatch(/2 of 2 used/);
    const db = await getDb();
    expect(await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, t.workspaceId))).toHaveLength(2);
  });

  it('retrying a canceled job counts as a new run; the quota refuses it when spent', async () => {
    const t = await trainer({ plan: 'pro' });
    const a = await postJob(t, jobBody(t));
    expect(a.status).toBe(201);
    const opts = { cookie: t.cookie, params: { id: a.body.id }, headers: peerHeaders(t.ip) };
    expect((await call(cancelRoute.POST, `/api/lora/jobs/${a.body.id}/cancel`, { ...opts, body: {} })).status).toBe(200);
    const retried = await call(retryRoute.POST, `/api/lora/jobs/${a.body.id}/retry`, { ...opts, body: {} });
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'queued', attempt: 2 });
    // 2 of 2 used now (create + counted retry).
    expect((await postJob(t, jobBody(t))).status).toBe(429);
    const db = await getDb();
    const audit = await db.select().from(tables.auditLog).where(eq(tables.auditLog.targetId, a.body.id));
    expect(audit.find((r) => r.action === 'job.retry')!.metadata).toMatchObject({ counts_against_quota: true });
  });
});

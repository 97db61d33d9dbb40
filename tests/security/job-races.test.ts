// Racing job creation (issue #11 "attacks that held"): one Idempotency-Key is one job however
// many requests race with it, and it is a per-workspace namespace (another workspace reusing
// the key gets its own job, never a replay of ours); and parallel starts at the training
// quota's edge create exactly what is left, the rest 429 with the one error shape.
import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, tables } from '@/server/db';
import { newId } from '@/server/ids';
import { jobBody, postJob, trainer } from '../jobs/fixtures.ts';
import { expectError } from './helpers.ts';

const jobsOf = async (workspaceId: string) => (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.workspaceId, workspaceId));

describe('Idempotency-Key', () => {
  it('four racing requests with one key → one job (one 201, three 200 replays of it); another workspace’s same key → its own job', async () => {
    const a = await trainer();
    const key = `race-${randomBytes(6).toString('hex')}`;
    const answers = await Promise.all(Array.from({ length: 4 }, () => postJob(a, jobBody(a), key)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 201]);
    const ids = new Set(answers.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    expect(answers.filter((r) => r.body.idempotent_replay === true)).toHaveLength(3);
    expect(await jobsOf(a.workspaceId)).toHaveLength(1);

    const b = await trainer();
    const theirs = await postJob(b, jobBody(b), key);
    expect(theirs.status).toBe(201);
    expect(theirs.body.id).not.toBe([...ids][0]);
    expect(theirs.body.idempotent_replay).toBe(false);
    expect(await jobsOf(b.workspaceId)).toHaveLength(1);
    expect(await jobsOf(a.workspaceId)).toHaveLength(1);
  });
});

describe('training quota (training_jobs_per_month) under a race', () => {
  it('one run left and four parallel starts → exactly one job; the others 429 with used = limit', async () => {
    const t = await trainer({ plan: 'pro' });
    const db = await getDb();
    const [pro] = await db.select().from(tables.plans).where(eq(tables.plans.id, 'pro'));
    const limit = (pro!.limits as { training_jobs_per_month: number }).training_jobs_per_month;
    expect(limit).toBeGreaterThan(1);
    // The counter is the audit ledger (plans/limits.ts): limit − 1 runs already this month.
    await db.insert(tables.auditLog).values(
      Array.from({ length: limit - 1 }, () => ({ id: newId('audit'), workspaceId: t.workspaceId, actorType: 'user', actorId: t.userId, action: 'job.create', targetType: 'lora_job', targetId: newId('job') })),
    );
    const answers = await Promise.all(Array.from({ length: 4 }, () => postJob(t, jobBody(t))));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 429, 429, 429]);
    for (const refused of answers.filter((r) => r.status === 429)) {
      expectError(refused, 429, 'rate_limit_exceeded');
      expect(refused.body.error.details).toMatchObject({ limit_name: 'training_jobs_per_month', used: limit, limit });
    }
    expect(await jobsOf(t.workspaceId)).toHaveLength(1);
    const creates = await db.select().from(tables.auditLog).where(and(eq(tables.auditLog.workspaceId, t.workspaceId), eq(tables.auditLog.action, 'job.create')));
    expect(creates).toHaveLength(limit);
  });
});

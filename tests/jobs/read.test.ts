import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import * as logsRoute from '@/app/api/lora/jobs/[id]/logs/route';
import * as retryRoute from '@/app/api/lora/jobs/[id]/retry/route';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import { getDb, tables } from '@/server/db';
import { call, peerHeaders } from '../helpers/http.ts';
import { jobBody, lease, postJob, sendEvent, trainer, workerToken, type Trainer } from './fixtures.ts';

const post = (route: typeof cancelRoute, t: Trainer, id: string, verb: string) => call(route.POST, `/api/lora/jobs/${id}/${verb}`, { cookie: t.cookie, params: { id }, body: {}, headers: peerHeaders(t.ip) });
const get = (t: Trainer, id: string) => call(jobRoute.GET, `/api/lora/jobs/${id}`, { cookie: t.cookie, params: { id } });

describe('jobs: list, get, cancel, retry, logs', () => {
  it('lists newest first with status/model filters and keyset pagination', async () => {
    const t = await trainer({ plan: 'enterprise' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await postJob(t, jobBody(t))).body.id);
    await post(cancelRoute, t, ids[0]!, 'cancel');
    const page1 = await call(jobsRoute.GET, '/api/lora/jobs?limit=2', { cookie: t.cookie });
    expect(page1.body.data.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    const page2 = await call(jobsRoute.GET, `/api/lora/jobs?limit=2&cursor=${page1.body.next_cursor}`, { cookie: t.cookie });
    expect(page2.body.data.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    expect(page2.body.next_cursor).toBeNull();
    const canceled = await call(jobsRoute.GET, '/api/lora/jobs?status=canceled', { cookie: t.cookie });
    expect(canceled.body.data.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    const byModel = await call(jobsRoute.GET, `/api/lora/jobs?model_id=${t.modelId}`, { cookie: t.cookie });
    expect(byModel.body.data).toHaveLength(3);
    expect((await call(jobsRoute.GET, '/api/lora/jobs?status=bogus', { cookie: t.cookie })).status).toBe(422);
  });

  it("another workspace's job → 404 for get, cancel, retry and logs", async () => {
    const a = await trainer();
    const b = await trainer();
    const id = (await postJob(a, jobBody(a))).body.id;
    expect((await get(b, id)).status).toBe(404);
    expect((await post(cancelRoute, b, id, 'cancel')).status).toBe(404);
    expect((await post(retryRoute, b, id, 'retry')).status).toBe(404);
    expect((await call(logsRoute.GET, `/api/lora/jobs/${id}/logs`, { cookie: b.cookie, params: { id } })).status).toBe(404);
    expect((await get(a, id)).body.status).toBe('queued');
  });

  it('cancel: queued → canceled at once; again → 409; retry → queued attempt 2; audited', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t))).body.id;
    const c = await post(cancelRoute, t, id, 'cancel');
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'canceled', version: { status: 'failed' } });
    expect((await post(cancelRoute, t, id, 'cancel')).status).toBe(409);
    const r = await post(retryRoute, t, id, 'retry');
    expect(r.body).toMatchObject({ status: 'queued', attempt: 2, max_attempts: 4, error: null, version: { status: 'pending', number: 1 } });
    expect((await post(retryRoute, t, id, 'retry')).status).toBe(409);
    const audit = await (await getDb()).select().from(tables.auditLog).where(eq(tables.auditLog.targetId, id));
    expect(audit.map((a) => a.action).sort()).toEqual(['job.cancel', 'job.create', 'job.retry']);
  });

  it('cancel while running → cancel_requested; the worker confirms with job.canceled → canceled', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t))).body.id;
    const token = await workerToken();
    for (let l = await lease(token); l.body?.spec?.job_id !== id; l = await lease(token)) if (l.status !== 200) throw new Error('not leased');
    await sendEvent({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } });
    expect((await post(cancelRoute, t, id, 'cancel')).body.status).toBe('cancel_requested');
    expect((await post(cancelRoute, t, id, 'cancel')).body.status).toBe('cancel_requested');
    const res = await sendEvent({ type: 'job.canceled', job_id: id, attempt: 1, seq: 1, data: { reason: 'stopped on request' } });
    expect(res.body.status).toBe('canceled');
    expect((await get(t, id)).body).toMatchObject({ status: 'canceled', version: { status: 'failed' } });
  });

  it('logs: lines of log events, paginated by event id', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t))).body.id;
    const token = await workerToken();
    for (let l = await lease(token); l.body?.spec?.job_id !== id; l = await lease(token)) if (l.status !== 200) throw new Error('not leased');
    for (let seq = 0; seq < 3; seq++) {
      await sendEvent({ type: 'job.log', job_id: id, attempt: 1, seq, data: { stream: 'stdout', lines: [`line ${seq}a`, `line ${seq}b`] } });
    }
    const first = await call(logsRoute.GET, `/api/lora/jobs/${id}/logs?limit=2`, { cookie: t.cookie, params: { id } });
    expect(first.body.data.map((l: { line: string }) => l.line)).toEqual(['line 0a', 'line 0b', 'line 1a', 'line 1b']);
    const rest = await call(logsRoute.GET, `/api/lora/jobs/${id}/logs?after=${first.body.next_after}`, { cookie: t.cookie, params: { id } });
    expect(rest.body.data.map((l: { line: string }) => l.line)).toEqual(['line 2a', 'line 2b']);
    const none = await call(logsRoute.GET, `/api/lora/jobs/${id}/logs?after=${rest.body.next_after}`, { cookie: t.cookie, params: { id } });
    expect(none.body).toEqual({ data: [], next_after: rest.body.next_after });
    const db = await getDb();
    expect(await db.select().from(tables.jobEvents).where(and(eq(tables.jobEvents.jobId, id), eq(tables.jobEvents.type, 'log')))).toHaveLength(3);
  });
});

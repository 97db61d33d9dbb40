// Shared pieces of the security regression suites (tests/security/*.test.ts): the error
// shape every refusal must have, job/version snapshots to prove a refused request changed
// nothing, a leased job the way a real worker gets one, and an outsider with a cookie and
// an API key of their own workspace.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import { getDb, tables } from '@/server/db';
import { call } from '../helpers/http.ts';
import { randomIp, signUp } from '../helpers/users.ts';
import { jobBody, lease, postJob, setPlan, trainer, workerToken, type Trainer } from '../jobs/fixtures.ts';

export interface Answer {
  status: number;
  body: any;
}

/** The one error shape (`{ error: { code, message, details?, request_id? } }`) with exactly this status and code. */
export function expectError(res: Answer, status: number, code: string, label = ''): void {
  expect(res.status, `${label} status (body ${JSON.stringify(res.body)?.slice(0, 300)})`).toBe(status);
  expect(res.body, `${label} body`).toBeTypeOf('object');
  expect(Object.keys(res.body ?? {}), `${label} top-level keys`).toEqual(['error']);
  expect(res.body.error.code, `${label} error code`).toBe(code);
  expect(res.body.error.message, `${label} error message`).toBeTypeOf('string');
  expect(Object.keys(res.body.error).every((k) => ['code', 'message', 'details', 'request_id'].includes(k)), `${label} error keys`).toBe(true);
}

export const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;
export const versionRow = async (id: string) => (await (await getDb()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, id)))[0]!;
export const eventsOf = async (id: string) => (await getDb()).select().from(tables.jobEvents).where(eq(tables.jobEvents.jobId, id));

/** Everything a worker event could change: the job row, its version row, its stored events. */
export async function jobState(id: string) {
  const job = await jobRow(id);
  return { job, version: await versionRow(job.loraVersionId), events: (await eventsOf(id)).length };
}

/** Lease until this job comes out (the lease hands out the oldest queued job of any workspace). */
export async function leaseUntil(token: string, jobId: string, workerId = 'w-security') {
  for (;;) {
    const l = await lease(token, workerId);
    if (l.status !== 200) throw new Error(`job ${jobId} was not leased (${l.status})`);
    if (l.body.spec.job_id === jobId) return l;
  }
}

/** A Pro trainer's job, leased by a fresh worker token: { spec, signing_secret } as a worker holds them. */
export async function leasedJob(t?: Trainer) {
  const owner = t ?? (await trainer());
  const job = await postJob(owner, jobBody(owner));
  if (job.status !== 201) throw new Error(`job create failed: ${JSON.stringify(job.body)}`);
  const token = await workerToken();
  const id = job.body.id as string;
  const l = await leaseUntil(token, id, `w-${id}`);
  return { t: owner, id, token, workerId: `w-${id}`, spec: l.body.spec, secret: l.body.signing_secret as string };
}

export interface Outsider {
  cookie: string;
  ip: string;
  userId: string;
  workspaceId: string;
  apiKey: string;
}

/** Someone else entirely: their own account, personal workspace (on Pro, so plan limits never hide a missing check) and API key. */
export async function outsider(): Promise<Outsider> {
  const ip = randomIp();
  const u = await signUp('Mallory', ip);
  const key = await call(keysRoute.POST, '/api/api-keys', { cookie: u.cookie, headers: { 'x-forwarded-for': ip }, body: { name: 'mallory key' } });
  if (key.status !== 201) throw new Error(`api key create failed: ${JSON.stringify(key.body)}`);
  await setPlan(key.body.workspace_id, 'pro');
  return { cookie: u.cookie, ip, userId: u.userId, workspaceId: key.body.workspace_id, apiKey: key.body.key };
}

// The set-up a real user and worker go through over HTTP (sign up, create a LoRA, start a job,
// lease it, report job.started), so the bench job is `running` exactly as in production. Only
// the dataset row is inserted directly (its upload/commit flow is another suite's subject).
import { randomBytes } from 'node:crypto';
import { CONSENT, CPU_WORKER, insertDataset, setPlan } from '../../tests/jobs/fixtures.ts';
import { postEvent, request, type Reply } from './client.ts';

export { workerToken } from '../../tests/jobs/fixtures.ts';

function expectStatus(r: Reply, status: number, what: string): Reply {
  if (r.status !== status) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 500)}`);
  return r;
}

export interface BenchUser {
  cookie: string;
  userId: string;
  workspaceId: string;
  modelId: string;
  datasetId: string;
  ip: string;
}

/** A Pro user with one LoRA and one ready image dataset, signed up through the real auth route. */
export async function createUser(baseUrl: string, ip = '198.18.7.7'): Promise<BenchUser> {
  const hdr = { origin: baseUrl, 'x-forwarded-for': ip };
  const email = `bench-${randomBytes(4).toString('hex')}@example.test`;
  const up = expectStatus(await request(`${baseUrl}/api/auth/sign-up/email`, { body: JSON.stringify({ email, password: `pw-${randomBytes(8).toString('hex')}`, name: 'Bench' }), headers: hdr }), 200, 'sign-up');
  const cookie = ([] as string[]).concat(up.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  const userId = (JSON.parse(up.text) as { user: { id: string } }).user.id;
  const m = expectStatus(await request(`${baseUrl}/api/lora/models`, { body: JSON.stringify({ name: 'Bench', modality: 'image', kind: 'identity' }), headers: { ...hdr, cookie } }), 201, 'create model');
  const model = JSON.parse(m.text) as { id: string; workspace_id: string };
  await setPlan(model.workspace_id, 'pro');
  const datasetId = await insertDataset({ workspaceId: model.workspace_id, ownerId: userId, modelId: model.id, modality: 'image' });
  return { cookie, userId, workspaceId: model.workspace_id, modelId: model.id, datasetId, ip };
}

export interface RunningJob {
  jobId: string;
  attempt: number;
  /** The attempt's signing key, as the lease hands it to the worker. */
  secret: string;
  /** The next seq the worker may use (job.started took 0). */
  nextSeq: number;
}

/** POST /api/lora/jobs, lease it as a pull worker, report job.started: the job is `running`. */
export async function startRunningJob(baseUrl: string, u: BenchUser, workerToken: string): Promise<RunningJob> {
  const body = { model_id: u.modelId, dataset_id: u.datasetId, base_model: 'sdxl-base-1.0', params: { steps: 50, rank: 8, alpha: 8 }, consent: CONSENT.image };
  const headers = { origin: baseUrl, 'x-forwarded-for': u.ip, cookie: u.cookie, 'idempotency-key': `bench-${randomBytes(6).toString('hex')}` };
  const job = JSON.parse(expectStatus(await request(`${baseUrl}/api/lora/jobs`, { body: JSON.stringify(body), headers }), 201, 'create job').text) as { id: string };
  for (let tries = 0; tries < 20; tries++) {
    const l = await request(`${baseUrl}/api/workers/lease`, { body: JSON.stringify({ worker_id: 'bench-worker', capabilities: CPU_WORKER }), headers: { authorization: `Bearer ${workerToken}` } });
    if (l.status !== 200) throw new Error(`lease: HTTP ${l.status} ${l.text.slice(0, 300)}`);
    const lease = JSON.parse(l.text) as { spec: { job_id: string; attempt: number }; signing_secret: string };
    if (lease.spec.job_id !== job.id) continue; // an older bench job still queued; leave it leased
    const started = await postEvent(baseUrl, lease.signing_secret, { type: 'job.started', job_id: job.id, attempt: lease.spec.attempt, seq: 0, data: { worker_id: 'bench-worker', backend: 'cpu-reference', gpu: null } }, u.ip);
    expectStatus(started, 200, 'job.started');
    const status = (JSON.parse(started.text) as { status: string }).status;
    if (status !== 'running') throw new Error(`job ${job.id} is ${status} after job.started, expected running`);
    return { jobId: job.id, attempt: lease.spec.attempt, secret: lease.signing_secret, nextSeq: 1 };
  }
  throw new Error(`job ${job.id} was never leased`);
}

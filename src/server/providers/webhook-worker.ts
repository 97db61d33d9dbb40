// webhook_worker (push): the control plane POSTs the signed JobSpec to {WORKER_URL}/v1/jobs
// and the worker answers 202 { external_job_id }. Unreachable or busy → retry with backoff
// (the scheduler re-sends); a 4xx refusal is final. Cancel is a signed POST as well. The spec
// names the backend (fixed here, as a lease fixes it): the worker's events must agree.
import { BackendId, buildSignedHeaders, jobAttemptHeaders, PushAccepted, TOOL_BACKEND_IDS } from '@lora-studio/protocol';
import { eq } from 'drizzle-orm';
import { env } from '@/env';
import { baseModels } from '@/server/db/schema/index.ts';
import { buildJobSpec, type BuiltSpec } from '@/server/jobs/spec';
import { specFailureOf } from '@/server/jobs/spec-failure';
import { workerMasterSecret } from '@/server/webhooks/secrets';
import { httpCall, isTransientStatus, parseJson } from './http.ts';
import type { ProviderAdapter } from './types.ts';

function signedPost(url: string, body: string, job: { id: string; attempt: number }) {
  return httpCall(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...buildSignedHeaders({ body, secret: workerMasterSecret() }), ...jobAttemptHeaders(job.id, job.attempt) },
    body,
  });
}

const workerUrl = () => env().WORKER_URL?.replace(/\/+$/, '') ?? null;

/** What the push worker runs: WORKER_BACKENDS, else the GPU trainers (never cpu-reference unless listed). */
const pushBackends = (): readonly string[] => env().WORKER_BACKENDS?.split(',').map((b) => b.trim()) ?? TOOL_BACKEND_IDS;

/** The base's first trainer the push worker has, a GPU one before cpu-reference. */
export function pushBackendFor(supportedBackends: readonly string[]): BackendId | null {
  const have = pushBackends();
  const usable = supportedBackends.filter((b) => have.includes(b)).map((b) => BackendId.parse(b));
  return usable.find((b) => b !== 'cpu-reference') ?? usable[0] ?? null;
}

export const webhookWorkerProvider: ProviderAdapter = {
  id: 'webhook_worker',
  async dispatch(ctx, jv) {
    const base = workerUrl();
    if (!base) return { kind: 'retry', message: 'WORKER_URL is not configured' };
    const [model] = await ctx.db.select({ supportedBackends: baseModels.supportedBackends }).from(baseModels).where(eq(baseModels.id, jv.version.trainableBaseModel));
    const backend = pushBackendFor(model?.supportedBackends ?? []);
    if (!backend) return { kind: 'rejected', code: 'no_backend', message: `the push worker runs ${pushBackends().join(', ')}; none of them trains ${jv.version.trainableBaseModel}` };
    let built: BuiltSpec;
    try {
      built = await buildJobSpec(ctx.db, jv, { backend, lease: null, now: new Date() });
    } catch (err) {
      return { kind: 'unbuildable', failure: specFailureOf(ctx, jv.job.id, err) };
    }
    const { spec, keys, family } = built;
    const res = await signedPost(`${base}/v1/jobs`, JSON.stringify(spec), jv.job);
    if (!res.ok) return { kind: 'retry', message: `worker unreachable: ${res.error}` };
    if (res.status === 202 || res.status === 200) {
      const accepted = PushAccepted.safeParse(parseJson(res.text));
      if (!accepted.success) return { kind: 'retry', message: 'worker answered without a valid external_job_id' };
      return { kind: 'accepted', externalJobId: accepted.data.external_job_id, record: { outputs: keys, family, backend }, backend };
    }
    if (isTransientStatus(res.status)) return { kind: 'retry', message: `worker answered HTTP ${res.status}` };
    return { kind: 'rejected', code: 'dispatch_rejected', message: `the worker refused the job (HTTP ${res.status}): ${res.text.slice(0, 500)}` };
  },
  async cancel(ctx, jv) {
    const base = workerUrl();
    if (!base) return;
    const id = jv.job.externalJobId ?? jv.job.id;
    const body = JSON.stringify({ job_id: jv.job.id, attempt: jv.job.attempt });
    const res = await signedPost(`${base}/v1/jobs/${encodeURIComponent(id)}/cancel`, body, jv.job);
    if (!res.ok || res.status >= 300) ctx.log.warn({ jobId: jv.job.id, status: res.ok ? res.status : res.error }, 'push worker did not confirm the cancel');
  },
};

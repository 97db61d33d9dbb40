// Push mode (webhook_worker): an HTTP server the control plane dispatches to.
//   POST /v1/jobs              signed JobSpec → 202 { external_job_id }, runs in the background
//   POST /v1/jobs/:id/cancel   signed → 202, the job stops within seconds (job.canceled)
//   GET  /healthz              liveness and load
// Every POST is verified on its raw body before parsing (401), a replayed webhook-id is 409,
// an invalid spec is 422. Events of a job are signed with deriveJobSigningSecret(secret, job, attempt).
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { deriveJobSigningSecret, JobSpec, type PushAccepted } from '@lora-studio/protocol';
import type { TrainerBackend } from '../backends/types.ts';
import type { Logger } from '../io/logger.ts';
import { startJob, type GpuInfo, type JobDeps, type RunningJob } from '../runner/job.ts';
import { HttpError, sendError, sendJson } from './respond.ts';
import { authenticate, readRawBody, ReplayGuard } from './signed-request.ts';

export interface PushServerOptions {
  port: number;
  host: string;
  /** The shared WORKER_HMAC_SECRET (whsec_…). */
  secret: string;
  workerId: string;
  backends: readonly TrainerBackend[];
  gpu: GpuInfo | null;
  concurrency: number;
  workRoot: string;
  log: Logger;
  /** When set, a spec whose callback URLs are on another origin is refused (422). */
  controlPlane?: string;
  maxBodyBytes?: number;
  jobOptions?: Partial<Omit<JobDeps, 'workerId' | 'backends' | 'gpu' | 'workRoot' | 'signingSecret' | 'log'>>;
}

export interface PushServer {
  readonly url: string;
  readonly port: number;
  running(): RunningJob[];
  /** Stops accepting jobs, reports running ones as worker_shutdown, closes the server. */
  shutdown(reason: string): Promise<void>;
}

interface Entry {
  externalId: string;
  job: RunningJob;
  finished: Promise<void>;
}

export async function startPushServer(opts: PushServerOptions): Promise<PushServer> {
  const replay = new ReplayGuard();
  const jobs = new Map<string, Entry>();
  let closing = false;
  const allowedOrigin = opts.controlPlane ? new URL(opts.controlPlane).origin : null;

  const accept = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readRawBody(req, opts.maxBodyBytes ?? 4 * 1024 * 1024);
    authenticate(req, body, opts.secret, replay);
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'bad_request', 'body is not valid JSON');
    }
    const parsed = JobSpec.safeParse(json);
    if (!parsed.success) {
      // An unknown key is named in its own path (Zod reports it at the parent object).
      const details = parsed.error.issues.flatMap((i) =>
        i.code === 'unrecognized_keys' ? i.keys.map((k) => ({ path: [...i.path, k].join('.'), message: 'unknown key' })) : [{ path: i.path.join('.'), message: i.message }],
      );
      throw new HttpError(422, 'unprocessable_entity', 'not a valid lora-studio/v1 job spec', details);
    }
    const spec = parsed.data;
    if (allowedOrigin) {
      for (const url of [spec.callback.events_url, spec.callback.heartbeat_url]) {
        if (url && new URL(url).origin !== allowedOrigin) {
          throw new HttpError(422, 'unprocessable_entity', `callback URL ${url} is not on the control plane ${allowedOrigin}`);
        }
      }
    }
    // The control plane retries dispatches it did not see answered: same attempt, same job.
    const existing = [...jobs.values()].find((e) => e.job.spec.job_id === spec.job_id && e.job.spec.attempt === spec.attempt);
    if (existing) return sendJson(res, 202, { external_job_id: existing.externalId } satisfies PushAccepted);
    if (closing) throw new HttpError(503, 'service_unavailable', 'the worker is shutting down', undefined, { 'retry-after': '30' });
    if (jobs.size >= opts.concurrency) {
      throw new HttpError(503, 'service_unavailable', `the worker is busy (${jobs.size} of ${opts.concurrency} jobs running)`, undefined, { 'retry-after': '30' });
    }
    const externalId = `wj_${randomBytes(12).toString('base64url')}`;
    const job = startJob(spec, {
      ...opts.jobOptions,
      workerId: opts.workerId,
      backends: opts.backends,
      gpu: opts.gpu,
      workRoot: opts.workRoot,
      signingSecret: deriveJobSigningSecret(opts.secret, spec.job_id, spec.attempt),
      log: opts.log,
    });
    const finished = job.done
      .catch((err) => opts.log.error('job crashed', { job_id: spec.job_id, error: String(err) }))
      .then(() => void jobs.delete(externalId));
    jobs.set(externalId, { externalId, job, finished });
    opts.log.info('accepted a pushed job', { job_id: spec.job_id, attempt: spec.attempt, external_job_id: externalId });
    sendJson(res, 202, { external_job_id: externalId } satisfies PushAccepted);
  };

  const cancel = async (req: IncomingMessage, res: ServerResponse, id: string) => {
    const body = await readRawBody(req, 64 * 1024);
    authenticate(req, body, opts.secret, replay);
    // The control plane may know the job by our external id or by its own job id.
    const entry = jobs.get(id) ?? [...jobs.values()].find((e) => e.job.spec.job_id === id);
    if (!entry) throw new HttpError(404, 'not_found', `no running job ${id} on this worker`);
    entry.job.stop({ kind: 'cancel', reason: 'canceled on the control plane' });
    sendJson(res, 202, { external_job_id: entry.externalId, status: 'cancel_requested' });
  };

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://worker').pathname;
    const cancelMatch = /^\/v1\/jobs\/([^/]+)\/cancel$/.exec(path);
    const allow = (method: string) => {
      if (req.method !== method) throw new HttpError(405, 'method_not_allowed', `use ${method}`, undefined, { allow: method });
    };
    if (path === '/healthz') {
      allow('GET');
      return sendJson(res, 200, { status: closing ? 'shutting_down' : 'ok', worker_id: opts.workerId, running: jobs.size, concurrency: opts.concurrency });
    }
    if (path === '/v1/jobs') {
      allow('POST');
      return accept(req, res);
    }
    if (cancelMatch) {
      allow('POST');
      return cancel(req, res, decodeURIComponent(cancelMatch[1]!));
    }
    throw new HttpError(404, 'not_found', `no route ${path}`);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((err) => {
      if (err instanceof HttpError) return sendError(res, err);
      opts.log.error('push request failed', { url: req.url, error: String(err) });
      if (!res.headersSent) sendError(res, new HttpError(500, 'internal_server_error', 'internal error'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.log.info('push worker listening', { url, worker_id: opts.workerId });

  return {
    url,
    port,
    running: () => [...jobs.values()].map((e) => e.job),
    async shutdown(reason: string) {
      closing = true;
      for (const { job } of jobs.values()) job.stop({ kind: 'shutdown', reason });
      await Promise.all([...jobs.values()].map((e) => e.finished));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

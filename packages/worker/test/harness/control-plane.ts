// A small real control plane for the worker tests: lease, heartbeat and events endpoints per
// the protocol schemas, signatures checked with the real verifyWebhook (per-attempt secrets
// derived from one master secret, as the app does), replayed webhook-ids refused, (job,
// attempt, seq) de-duplicated; plus dataset downloads and presigned-style PUT uploads kept in
// memory. It can be stopped and restarted on the same port to play an outage.
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  deriveJobSigningSecret,
  generateWebhookSecret,
  HeartbeatRequest,
  LeaseRequest,
  readJobAttemptHeaders,
  verifyWebhook,
  WorkerEvent,
  type JobSpec,
  type LeaseResponse,
  type UploadSlot,
} from '@lora-studio/protocol';
import { buildSpec, type SpecOptions } from './spec.ts';

export { sha256 } from './spec.ts';
export type { SpecOptions } from './spec.ts';

export interface Dataset {
  bytes: Buffer;
  /** Serve these bytes instead (same length), e.g. one flipped byte. */
  servedBytes?: Buffer;
  /** Send half the body, then hold the connection open. */
  stall?: boolean;
}


export class ControlPlaneStandIn extends EventEmitter {
  readonly master = generateWebhookSecret();
  readonly token = 'wt_standin_token';
  readonly events: WorkerEvent[] = [];
  /** Every POST to the events endpoint with the status we answered. */
  readonly deliveries: { status: number; webhookId: string | undefined; seq?: number }[] = [];
  readonly objects = new Map<string, { bytes: Buffer; contentType: string }>();
  readonly datasets = new Map<string, Dataset>();
  readonly datasetRequests: string[] = [];
  readonly leaseRequests: LeaseRequest[] = [];
  readonly heartbeats: HeartbeatRequest[] = [];
  readonly canceled = new Set<string>();
  /** Answer the next N event POSTs with 503 (before looking at them). */
  failNextEvents = 0;
  /** Record the next N events, then drop the connection without answering. */
  loseNextAnswers = 0;
  private readonly queue: JobSpec[] = [];
  private readonly slots = new Map<string, UploadSlot>();
  private readonly webhookIds = new Set<string>();
  private readonly seqs = new Set<string>();
  private server: Server | null = null;
  port = 0;

  static async start(): Promise<ControlPlaneStandIn> {
    const cp = new ControlPlaneStandIn();
    await cp.listen(0);
    return cp;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async listen(port: number): Promise<void> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((err) => {
        if (!res.headersSent) json(res, 500, { error: { code: 'internal_server_error', message: String(err) } });
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes the server and every open connection: the control plane is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  addDataset(name: string, bytes: Buffer, extra: Omit<Dataset, 'bytes'> = {}): void {
    this.datasets.set(name, { bytes, ...extra });
  }

  enqueue(spec: JobSpec): void {
    this.queue.push(spec);
  }

  cancel(jobId: string): void {
    this.canceled.add(jobId);
  }

  eventsOf(jobId: string): WorkerEvent[] {
    return this.events.filter((e) => e.job_id === jobId);
  }

  terminalOf(jobId: string): WorkerEvent | undefined {
    return this.eventsOf(jobId).find((e) => ['job.succeeded', 'job.failed', 'job.canceled'].includes(e.type));
  }

  /** Resolves with the first recorded event matching `pred` (already recorded or future). */
  waitForEvent(pred: (e: WorkerEvent) => boolean): Promise<WorkerEvent> {
    const found = this.events.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => {
      const on = (e: WorkerEvent) => {
        if (!pred(e)) return;
        this.off('event', on);
        resolve(e);
      };
      this.on('event', on);
    });
  }

  waitForTerminal(jobId: string): Promise<WorkerEvent> {
    return this.waitForEvent((e) => e.job_id === jobId && ['job.succeeded', 'job.failed', 'job.canceled'].includes(e.type));
  }

  makeSpec(o: SpecOptions): JobSpec {
    const ds = this.datasets.get(o.dataset.name);
    if (!ds) throw new Error(`no dataset ${o.dataset.name}`);
    return buildSpec(o, { baseUrl: this.url, datasetBytes: ds.bytes, register: (slot) => this.slots.set(slot.key, slot) });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const path = url.pathname;
    if (req.method === 'POST' && path === '/api/workers/lease') return this.lease(req, res);
    if (req.method === 'POST' && path === '/api/workers/heartbeat') return this.heartbeat(req, res);
    if (req.method === 'POST' && path === '/api/lora/webhook') return this.event(req, res);
    if (req.method === 'GET' && path.startsWith('/datasets/')) return this.dataset(path.slice('/datasets/'.length), res);
    if (req.method === 'PUT' && path.startsWith('/objects/')) return this.upload(decodeURIComponent(path.slice('/objects/'.length)), req, res);
    json(res, 404, { error: { code: 'not_found', message: path } });
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.headers.authorization === `Bearer ${this.token}`) return true;
    json(res, 401, { error: { code: 'unauthorized', message: 'invalid worker token' } });
    return false;
  }

  private async lease(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorized(req, res)) return;
    const parsed = LeaseRequest.safeParse(JSON.parse((await readBody(req)).toString()));
    if (!parsed.success) return json(res, 422, { error: { code: 'unprocessable_entity', message: parsed.error.message } });
    this.leaseRequests.push(parsed.data);
    const spec = this.queue.shift();
    if (!spec) {
      res.writeHead(204).end();
      this.emit('idle-lease');
      return;
    }
    const body: LeaseResponse = {
      spec,
      signing_secret: deriveJobSigningSecret(this.master, spec.job_id, spec.attempt),
      lease_expires_at: new Date(Date.now() + 300_000).toISOString(),
    };
    json(res, 200, body);
  }

  private async heartbeat(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.authorized(req, res)) return;
    const parsed = HeartbeatRequest.safeParse(JSON.parse((await readBody(req)).toString()));
    if (!parsed.success) return json(res, 422, { error: { code: 'unprocessable_entity', message: parsed.error.message } });
    this.heartbeats.push(parsed.data);
    this.emit('heartbeat', parsed.data);
    json(res, 200, { cancel: this.canceled.has(parsed.data.job_id), lease_expires_at: new Date(Date.now() + 300_000).toISOString() });
  }

  private async event(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const webhookId = req.headers['webhook-id'] as string | undefined;
    const answer = (status: number, body: unknown, seq?: number) => {
      this.deliveries.push({ status, webhookId, ...(seq !== undefined ? { seq } : {}) });
      json(res, status, body);
    };
    if (this.failNextEvents > 0) {
      this.failNextEvents--;
      return answer(503, { error: { code: 'service_unavailable', message: 'try later' } });
    }
    const who = readJobAttemptHeaders(req.headers);
    if (!who) return answer(400, { error: { code: 'bad_request', message: 'missing lora-job-id / lora-job-attempt' } });
    try {
      verifyWebhook({ headers: req.headers, body: raw, secret: deriveJobSigningSecret(this.master, who.jobId, who.attempt) });
    } catch (err) {
      return answer(401, { error: { code: 'unauthorized', message: String(err) } });
    }
    if (this.webhookIds.has(webhookId!)) return answer(409, { error: { code: 'conflict', message: 'replayed webhook-id' } });
    this.webhookIds.add(webhookId!);
    const parsed = WorkerEvent.safeParse(JSON.parse(raw.toString('utf8')));
    if (!parsed.success) return answer(422, { error: { code: 'unprocessable_entity', message: parsed.error.message } });
    const event = parsed.data;
    if (event.job_id !== who.jobId || event.attempt !== who.attempt) return answer(422, { error: { code: 'unprocessable_entity', message: 'headers and body disagree' } });
    const key = `${event.job_id}#${event.attempt}#${event.seq}`;
    if (this.seqs.has(key)) return answer(409, { error: { code: 'conflict', message: 'duplicate seq' } }, event.seq);
    this.seqs.add(key);
    this.events.push(event);
    this.emit('event', event);
    if (this.loseNextAnswers > 0) {
      this.loseNextAnswers--;
      this.deliveries.push({ status: 0, webhookId, seq: event.seq });
      req.socket.destroy();
      return;
    }
    answer(202, { ok: true }, event.seq);
  }

  private dataset(name: string, res: ServerResponse): void {
    this.datasetRequests.push(name);
    this.emit('dataset', name);
    const ds = this.datasets.get(name);
    if (!ds) return json(res, 404, { error: { code: 'not_found', message: name } });
    const bytes = ds.servedBytes ?? ds.bytes;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) });
    if (ds.stall) {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
      return; // never ends: the worker is stuck "downloading" until it gives up or is stopped
    }
    res.end(bytes);
  }

  private async upload(key: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const slot = this.slots.get(key);
    if (!slot) return json(res, 403, { error: { code: 'forbidden', message: 'unknown upload key' } });
    if (req.headers['content-type'] !== slot.content_type) {
      return json(res, 403, { error: { code: 'forbidden', message: `content type ${req.headers['content-type']} is not ${slot.content_type}` } });
    }
    if (req.headers['content-length'] === undefined) return json(res, 411, { error: { code: 'length_required', message: 'no content-length' } });
    if (Number(req.headers['content-length']) > slot.max_bytes) return json(res, 413, { error: { code: 'payload_too_large', message: 'too big' } });
    const bytes = await readBody(req);
    this.objects.set(key, { bytes, contentType: slot.content_type });
    this.emit('object', key);
    res.writeHead(200).end();
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

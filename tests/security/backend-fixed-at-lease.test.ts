// Issue #11 / #9: the trainer backend is fixed when the job is handed out — by the lease (pull)
// or the dispatch (push) — and a worker cannot relabel it afterwards. The attack: lease a Flux
// job as an ai-toolkit worker with an H100, claim `cpu-reference` in job.started, deliver the
// tiny stand-in LoRA and get a `ready` Flux version priced "no GPU billed".
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { JobSpec } from '@lora-studio/protocol';
import { afterAll, describe, expect, it } from 'vitest';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import { overrideEnvForTests } from '@/env';
import { getDb, tables } from '@/server/db';
import { CPU_REFERENCE_BASIS } from '@/server/jobs/job-cost';
import { serveLocalStorage } from '@/server/storage';
import { eq } from 'drizzle-orm';
import { call } from '../helpers/http.ts';
import { jobBody, kohyaLora, lease, postJob, SDXL_MODULES, sendEvent, sha256, TINY_MODULES, trainer, workerToken, type Trainer } from '../jobs/fixtures.ts';
import { expectError, jobRow, versionRow } from './helpers.ts';

const H100 = 'NVIDIA H100 80GB HBM3';
const AI_TOOLKIT_H100 = { modalities: ['image'], base_families: ['flux'], backends: ['ai-toolkit'], gpu: { name: H100, vram_mb: 81559, count: 1 } };
const FLUX = { base_model: 'flux-dev', params: { steps: 50, rank: 8, alpha: 8 } };

async function upload(slot: { url: string; content_type: string }, bytes: Uint8Array) {
  const token = new URL(slot.url).pathname.split('/').pop()!;
  const res = await serveLocalStorage(new Request(slot.url, { method: 'PUT', headers: { 'content-type': slot.content_type, 'content-length': String(bytes.length) }, body: Buffer.from(bytes) }), token);
  expect(res.status).toBeLessThan(300);
}

async function leaseAs(caps: object, jobId: string, workerId: string) {
  const token = await workerToken();
  for (;;) {
    const l = await lease(token, workerId, caps);
    if (l.status !== 200) throw new Error(`job ${jobId} was not leased (${l.status})`);
    if (l.body.spec.job_id === jobId) return l.body.spec as JobSpec;
  }
}

const detail = async (t: Trainer, id: string) => (await call(jobRoute.GET, `/api/lora/jobs/${id}`, { cookie: t.cookie, params: { id } })).body;
const ev = (id: string, seq: number, type: string, data: object) => ({ type, job_id: id, attempt: 1, seq, data }) as never;
const tinyStandIn = () => kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });

describe('the backend is fixed at lease time', () => {
  it('an ai-toolkit/H100 lease that claims cpu-reference is refused; its tiny stand-in never becomes a ready Flux version', async () => {
    const t = await trainer();
    const created = await postJob(t, jobBody(t, FLUX));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const spec = await leaseAs(AI_TOOLKIT_H100, id, 'w-h100');
    expect(spec.backend).toBe('ai-toolkit');
    expect((await jobRow(id)).backend).toBe('ai-toolkit');

    const relabel = await sendEvent(ev(id, 0, 'job.started', { worker_id: 'w-h100', backend: 'cpu-reference', gpu: H100 }));
    expectError(relabel, 422, 'unprocessable_entity', 'job.started naming another backend');
    expect(relabel.body.error.details).toMatchObject({ reason: 'backend_mismatch', leased_backend: 'ai-toolkit', reported_backend: 'cpu-reference' });
    expect(relabel.body.error.message).toMatch(/ai-toolkit/);
    const afterRefusal = await jobRow(id);
    expect(afterRefusal).toMatchObject({ status: 'dispatched', backend: 'ai-toolkit' });
    const refusedAudit = await (await getDb()).select().from(tables.auditLog).where(eq(tables.auditLog.targetId, id));
    expect(refusedAudit.some((a) => a.action === 'job.event_refused' && (a.metadata as { reason?: string }).reason === 'backend_mismatch')).toBe(true);

    // The worker carries on as if it had been believed: the tiny stand-in, an hour of "GPU".
    const lora = tinyStandIn();
    await upload(spec.outputs.artifact, lora);
    const done = await sendEvent(
      ev(id, 1, 'job.succeeded', { artifact: { key: spec.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: { steps: 50 }, gpu_seconds: 3600 }),
    );
    expect(done.status).toBe(200);
    const d = await detail(t, id);
    expect(d.status).toBe('failed');
    expect(d.error).toMatchObject({ code: 'artifact_wrong_base' });
    expect(d.backend).toBe('ai-toolkit');
    expect(d.cost_basis).not.toBe(CPU_REFERENCE_BASIS);
    const version = await versionRow(afterRefusal.loraVersionId);
    expect(version.status).toBe('failed');
    expect(version.status).not.toBe('ready');
    expect(version.artifactMeta).toBeNull();
  });

  it('the honest claim is accepted, and a cpu-reference lease cannot turn into a GPU backend either', async () => {
    const t = await trainer();
    const a = await postJob(t, jobBody(t, FLUX));
    const spec = await leaseAs(AI_TOOLKIT_H100, a.body.id, 'w-honest');
    const ok = await sendEvent(ev(spec.job_id, 0, 'job.started', { worker_id: 'w-honest', backend: 'ai-toolkit', gpu: H100 }));
    expect(ok.status).toBe(200);
    expect(await jobRow(spec.job_id)).toMatchObject({ status: 'running', backend: 'ai-toolkit' });

    const b = await postJob(t, jobBody(t));
    const cpu = await leaseAs({ modalities: ['image'], base_families: ['tiny'], backends: ['cpu-reference'], gpu: null }, b.body.id, 'w-cpu');
    expect(cpu.backend).toBe('cpu-reference');
    const up = await sendEvent(ev(cpu.job_id, 0, 'job.started', { worker_id: 'w-cpu', backend: 'kohya', gpu: H100 }));
    expectError(up, 422, 'unprocessable_entity', 'cpu-reference lease claiming kohya');
    expect(await jobRow(cpu.job_id)).toMatchObject({ status: 'dispatched', backend: 'cpu-reference' });

    // Its honest run: the stand-in is accepted, and nothing is billed, whatever GPU it names.
    expect((await sendEvent(ev(cpu.job_id, 1, 'job.started', { worker_id: 'w-cpu', backend: 'cpu-reference', gpu: H100 }))).status).toBe(200);
    const lora = tinyStandIn();
    await upload(cpu.outputs.artifact, lora);
    const done = await sendEvent(
      ev(cpu.job_id, 2, 'job.succeeded', { artifact: { key: cpu.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: { steps: 50 }, gpu_seconds: 3600 }),
    );
    expect(done.body.status).toBe('succeeded');
    const d = await detail(t, cpu.job_id);
    expect(d).toMatchObject({ backend: 'cpu-reference', cost_actual_usd: '0.0000', cost_basis: CPU_REFERENCE_BASIS });
    expect(d.version.artifact_meta).toMatchObject({ stand_in: { backend: 'cpu-reference' } });
  });
});

describe('the GPU a run is priced at is fixed at lease time too', () => {
  it('a worker that leased with an L40S cannot bill an H100 hour by naming one in job.started', async () => {
    const t = await trainer();
    const created = await postJob(t, jobBody(t, { base_model: 'sdxl-base-1.0', params: { steps: 50, rank: 16, alpha: 8 } }));
    expect(created.status).toBe(201);
    const l40s = { modalities: ['image'], base_families: ['sdxl'], backends: ['kohya'], gpu: { name: 'NVIDIA L40S', vram_mb: 46068, count: 1 } };
    const spec = await leaseAs(l40s, created.body.id, 'w-l40s');
    expect((await sendEvent(ev(spec.job_id, 0, 'job.started', { worker_id: 'w-l40s', backend: 'kohya', gpu: H100 }))).status).toBe(200);
    const lora = kohyaLora({ rank: 16, alpha: 8, modules: SDXL_MODULES, base: 'sdxl_base_v1-0' });
    await upload(spec.outputs.artifact, lora);
    const done = await sendEvent(
      ev(spec.job_id, 1, 'job.succeeded', { artifact: { key: spec.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: {}, gpu_seconds: 3600 }),
    );
    expect(done.body.status).toBe('succeeded');
    const d = await detail(t, spec.job_id);
    expect(d.cost_actual_usd).toBe('1.2000'); // one GPU-hour at the L40S price it leased with, not $3.50
    const costs = await (await getDb()).select().from(tables.costRecords).where(eq(tables.costRecords.jobId, spec.job_id));
    expect(costs.map((c) => [c.amountUsd, c.unit])).toEqual([['1.2000', 'gpu_seconds:NVIDIA L40S']]);
  });
});

describe('push dispatch fixes the backend the same way', () => {
  let server: Server | null = null;
  const pushed: string[] = [];
  afterAll(() => server?.close());

  async function startPushWorker(): Promise<number> {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.url === '/v1/jobs') pushed.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ external_job_id: `wj_${pushed.length}` }));
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server!.address() as AddressInfo).port;
  }

  it('webhook_worker: the pushed spec names the backend, the job row records it, another claim is refused', async () => {
    const port = await startPushWorker();
    overrideEnvForTests({ WORKER_URL: `http://127.0.0.1:${port}`, WORKER_BACKENDS: undefined });
    const t = await trainer();
    const created = await postJob(t, jobBody(t, { ...FLUX, provider: 'webhook_worker' }));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const row = await jobRow(id);
    expect(row).toMatchObject({ status: 'dispatched', provider: 'webhook_worker', backend: 'ai-toolkit' });
    const spec = JobSpec.parse(JSON.parse(pushed.at(-1)!));
    expect(spec).toMatchObject({ job_id: id, backend: 'ai-toolkit' });

    const relabel = await sendEvent(ev(id, 0, 'job.started', { worker_id: 'push-1', backend: 'cpu-reference', gpu: null }));
    expectError(relabel, 422, 'unprocessable_entity', 'push job.started naming another backend');
    expect((await jobRow(id)).backend).toBe('ai-toolkit');
  });

  it('WORKER_BACKENDS declares what the push worker runs; a cpu-reference push worker gets cpu-reference fixed', async () => {
    overrideEnvForTests({ WORKER_BACKENDS: 'cpu-reference' });
    const t = await trainer();
    const created = await postJob(t, jobBody(t, { ...FLUX, provider: 'webhook_worker' }));
    const id = created.body.id as string;
    expect(await jobRow(id)).toMatchObject({ status: 'dispatched', backend: 'cpu-reference' });
    expect(JobSpec.parse(JSON.parse(pushed.at(-1)!)).backend).toBe('cpu-reference');
    const ok = await sendEvent(ev(id, 0, 'job.started', { worker_id: 'push-cpu', backend: 'cpu-reference', gpu: null }));
    expect(ok.status).toBe(200);
    overrideEnvForTests({ WORKER_BACKENDS: undefined });
  });
});

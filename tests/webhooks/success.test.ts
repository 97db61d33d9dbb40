import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import * as logsRoute from '@/app/api/lora/jobs/[id]/logs/route';
import { getDb, tables } from '@/server/db';
import { serveLocalStorage } from '@/server/storage';
import { call } from '../helpers/http.ts';
import { jobBody, kohyaLora, lease, postJob, SDXL_MODULES, sendEvent, sha256, TINY_MODULES, tinyPeftAdapter, trainer, workerToken, type Trainer } from '../jobs/fixtures.ts';

/** PUT bytes to a presigned slot exactly as a worker does (through the app's local-storage route). */
async function upload(slot: { url: string; content_type: string }, bytes: Uint8Array) {
  const token = new URL(slot.url).pathname.split('/').pop()!;
  const res = await serveLocalStorage(new Request(slot.url, { method: 'PUT', headers: { 'content-type': slot.content_type, 'content-length': String(bytes.length) }, body: Buffer.from(bytes) }), token);
  expect(res.status).toBeLessThan(300);
}

async function runJob(opts: { modality?: 'image' | 'text'; caps?: object } = {}) {
  const modality = opts.modality ?? 'image';
  const t = await trainer({ modality });
  const job = await postJob(t, jobBody(t, {}, modality));
  const token = await workerToken();
  for (;;) {
    const l = await lease(token, 'w-success', opts.caps);
    if (l.status !== 200) throw new Error('not leased');
    if (l.body.spec.job_id === job.body.id) return { t, id: job.body.id as string, spec: l.body.spec };
  }
}

let seq = 0;
const ev = (id: string, type: string, data: object, attempt = 1) => ({ type, job_id: id, attempt, seq: seq++, data }) as never;
const succeeded = (id: string, artifact: { key: string; sha256: string; bytes: number }, files: object[] = []) =>
  ev(id, 'job.succeeded', { artifact, files, summary: { final_loss: 0.12, steps: 50 }, gpu_seconds: 0 });

async function detail(t: Trainer, id: string) {
  return (await call(jobRoute.GET, `/api/lora/jobs/${id}`, { cookie: t.cookie, params: { id } })).body;
}

describe('success path: the control plane re-checks the artifact before a version is ready', () => {
  it('a real kohya LoRA from cpu-reference → version ready with checksum, size, rank, format; cost and notification', async () => {
    seq = 0;
    const { t, id, spec } = await runJob();
    const lora = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    await upload(spec.outputs.artifact, lora);
    await upload(spec.outputs.samples[0], new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    await upload(spec.outputs.checkpoints[0], lora);
    for (const e of [
      ev(id, 'job.started', { worker_id: 'w-success', backend: 'cpu-reference', gpu: null }),
      ev(id, 'job.progress', { step: 25, total_steps: 50, stage: 'training' }),
      ev(id, 'job.metrics', { step: 25, loss: 0.31, learning_rate: 1e-4 }),
      ev(id, 'job.log', { stream: 'stdout', lines: ['step 25 loss 0.31', 'step 26 loss 0.30'] }),
      ev(id, 'job.checkpoint', { step: 25, key: spec.outputs.checkpoints[0].key, sha256: sha256(lora), bytes: lora.length }),
      ev(id, 'job.sample', { step: 25, key: spec.outputs.samples[0].key, content_type: 'image/png' }),
    ]) expect((await sendEvent(e)).status).toBe(200);
    const done = await sendEvent(succeeded(id, { key: spec.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }));
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('succeeded');

    const d = await detail(t, id);
    expect(d).toMatchObject({ status: 'succeeded', stage: 'done', progress: 1, cost_actual_usd: '0.0000' });
    expect(d.version).toMatchObject({ status: 'ready', checksum: sha256(lora), artifact_bytes: lora.length, artifact_format: 'kohya' });
    expect(d.version.artifact_meta).toMatchObject({ rank: 8, alpha: 8, tensor_count: 6, base_family: 'tiny', requested_family: 'sdxl', stand_in: { family: 'tiny', backend: 'cpu-reference' } });
    expect(d.version.artifact_meta.file_metadata).toMatchObject({ ss_network_dim: '8' });
    expect(d.version.metrics_summary).toMatchObject({ final_loss: 0.12 });
    expect(d.version.preview_images).toHaveLength(1);
    expect(d.latest.metrics).toMatchObject({ loss: 0.31 });
    const logs = await call(logsRoute.GET, `/api/lora/jobs/${id}/logs`, { cookie: t.cookie, params: { id } });
    expect(logs.body.data.map((l: { line: string }) => l.line)).toEqual(['step 25 loss 0.31', 'step 26 loss 0.30']);

    const db = await getDb();
    expect(await db.select().from(tables.costRecords).where(eq(tables.costRecords.jobId, id))).toHaveLength(1);
    const [note] = await db.select().from(tables.notifications).where(and(eq(tables.notifications.workspaceId, t.workspaceId), eq(tables.notifications.kind, 'job.succeeded')));
    expect(note).toMatchObject({ userId: t.userId, link: `/jobs/${id}` });

    // succeeded → running is refused and changes nothing.
    const late = await sendEvent(ev(id, 'job.started', { worker_id: 'w', backend: 'cpu-reference', gpu: null }));
    expect(late.status).toBe(409);
    expect((await detail(t, id)).status).toBe('succeeded');
  });

  it('a tampered artifact (sha256 mismatch) → job and version failed with the reason', async () => {
    seq = 0;
    const { t, id, spec } = await runJob();
    const lora = kohyaLora({ rank: 4, alpha: 4, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    await upload(spec.outputs.artifact, lora);
    await sendEvent(ev(id, 'job.started', { worker_id: 'w', backend: 'cpu-reference', gpu: null }));
    const claimed = sha256(new Uint8Array([1, 2, 3]));
    const res = await sendEvent(succeeded(id, { key: spec.outputs.artifact.key, sha256: claimed, bytes: lora.length }));
    expect(res.body.status).toBe('failed');
    const d = await detail(t, id);
    expect(d.error).toMatchObject({ code: 'artifact_checksum_mismatch' });
    expect(d.version).toMatchObject({ status: 'failed', checksum: null });
    expect(d.version.failure_reason).toMatch(/artifact_checksum_mismatch/);
  });

  it('not safetensors, a missing object, or a wrong-base LoRA → failed with the reason', async () => {
    for (const [bytes, code] of [
      [new TextEncoder().encode('not a safetensors file at all'), 'artifact_not_safetensors'],
      [kohyaLora({ rank: 4, alpha: 4, modules: ['lora_unet_double_blocks_0_img_attn_proj'], base: 'flux-1-dev' }), 'artifact_wrong_base'],
    ] as const) {
      seq = 0;
      const { t, id, spec } = await runJob();
      await upload(spec.outputs.artifact, bytes);
      await sendEvent(ev(id, 'job.started', { worker_id: 'w', backend: 'cpu-reference', gpu: null }));
      await sendEvent(succeeded(id, { key: spec.outputs.artifact.key, sha256: sha256(bytes), bytes: bytes.length }));
      expect((await detail(t, id)).error.code).toBe(code);
    }
    seq = 0;
    const { t, id, spec } = await runJob();
    await sendEvent(succeeded(id, { key: spec.outputs.artifact.key, sha256: sha256(new Uint8Array(1)), bytes: 1 }));
    expect((await detail(t, id)).error.code).toBe('artifact_missing');
  });

  it('the tiny stand-in is accepted only from cpu-reference; a real SDXL LoRA from kohya is ready as SDXL', async () => {
    const kohyaWorker = { modalities: ['image'], base_families: ['sdxl'], backends: ['kohya'], gpu: { name: 'NVIDIA A100-SXM4-80GB', vram_mb: 81920, count: 1 } };
    seq = 0;
    const tiny = await runJob({ caps: kohyaWorker });
    const tinyLora = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    await upload(tiny.spec.outputs.artifact, tinyLora);
    await sendEvent(ev(tiny.id, 'job.started', { worker_id: 'w', backend: 'kohya', gpu: 'NVIDIA A100-SXM4-80GB' }));
    await sendEvent(succeeded(tiny.id, { key: tiny.spec.outputs.artifact.key, sha256: sha256(tinyLora), bytes: tinyLora.length }));
    expect((await detail(tiny.t, tiny.id)).error.code).toBe('artifact_wrong_base');

    seq = 0;
    const real = await runJob({ caps: kohyaWorker });
    const sdxl = kohyaLora({ rank: 16, alpha: 8, modules: SDXL_MODULES, base: 'sdxl_base_v1-0' });
    await upload(real.spec.outputs.artifact, sdxl);
    await sendEvent(ev(real.id, 'job.started', { worker_id: 'w', backend: 'kohya', gpu: 'NVIDIA A100-SXM4-80GB' }));
    await sendEvent(ev(real.id, 'job.succeeded', { artifact: { key: real.spec.outputs.artifact.key, sha256: sha256(sdxl), bytes: sdxl.length }, files: [], summary: {}, gpu_seconds: 3600 }));
    const d = await detail(real.t, real.id);
    expect(d.version).toMatchObject({ status: 'ready', artifact_format: 'kohya' });
    expect(d.version.artifact_meta).toMatchObject({ rank: 16, alpha: 8, base_family: 'sdxl' });
    expect(d.version.artifact_meta.stand_in).toBeUndefined();
    expect(d.cost_actual_usd).toBe('2.2000'); // 1 GPU-hour on an A100 80GB
  });

  it('a text job: PEFT adapter + adapter_config.json → ready as peft; without the config → failed', async () => {
    seq = 0;
    const { t, id, spec } = await runJob({ modality: 'text' });
    // r and lora_alpha as the job asked (rank 8 over the Llama preset's alpha 32): the config is checked against the request.
    const { adapter, config } = tinyPeftAdapter();
    await upload(spec.outputs.artifact, adapter);
    await upload(spec.outputs.extra_files['adapter_config.json'], config);
    await sendEvent(ev(id, 'job.started', { worker_id: 'w', backend: 'cpu-reference', gpu: null }));
    const files = [{ name: 'adapter_config.json', key: spec.outputs.extra_files['adapter_config.json'].key, sha256: sha256(config), bytes: config.length }];
    const res = await sendEvent(succeeded(id, { key: spec.outputs.artifact.key, sha256: sha256(adapter), bytes: adapter.length }, files));
    expect(res.body.status).toBe('succeeded');
    const d = await detail(t, id);
    expect(d.version).toMatchObject({ status: 'ready', artifact_format: 'peft', artifact_files: [{ name: 'adapter_config.json', sha256: sha256(config), bytes: config.length }] });
    expect(d.version.artifact_meta).toMatchObject({ rank: 8, alpha: 32, base_model: 'lora-studio-tiny-text-v1' });

    seq = 0;
    const bare = await runJob({ modality: 'text' });
    await upload(bare.spec.outputs.artifact, adapter);
    await sendEvent(succeeded(bare.id, { key: bare.spec.outputs.artifact.key, sha256: sha256(adapter), bytes: adapter.length }));
    expect((await detail(bare.t, bare.id)).error.code).toBe('artifact_incomplete');
  });
});

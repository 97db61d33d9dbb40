// Text LoRA versions end to end: a real job through POST /api/lora/jobs, leased by a worker,
// trained for real by the cpu-reference text backend on the leased spec (its metrics, its
// adapter_model.safetensors and adapter_config.json), uploads to the signed slots, signed
// events, and the control plane's verification. Then the version's files, quality, serving
// snippets, lineage and downloads — one file (exact bytes) and all of them as a zip read back
// with yauzl. Mismatch cases use the same backend's PEFT writers with a doctored config.
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeSafetensors, type JobSpec } from '@lora-studio/protocol';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as modelsRoute from '@/app/api/lora/models/route';
import * as versionRoute from '@/app/api/lora/versions/[id]/route';
import * as downloadRoute from '@/app/api/lora/versions/[id]/download/route';
import * as versionsRoute from '@/app/api/lora/versions/route';
import { getDb, tables } from '@/server/db';
import { buildOpenApiDocument } from '@/app/api/openapi.json/document';
import { serveLocalStorage } from '@/server/storage';
import { convergenceOf } from '@/server/versions/quality';
import { vllmSnippet } from '@/server/versions/serving';
import { trainTextJob } from '../../packages/worker/src/backends/cpu-reference/index.ts';
import { makeChatSet, ofType, recordingContext } from '../../packages/worker/test/cpu-reference-helpers.ts';
import { adapterConfig, writePeftFiles } from '../../packages/worker/src/backends/cpu-reference/text/artifact.ts';
import { Linear, LoraAdapter } from '../../packages/worker/src/backends/cpu-reference/linear.ts';
import { Prng } from '../../packages/worker/src/backends/cpu-reference/prng.ts';
import { textLinears } from '../../packages/worker/src/backends/cpu-reference/tiny-base/spec.ts';
import { APP, call, peerHeaders } from '../helpers/http.ts';
import { randomIp, signUp } from '../helpers/users.ts';
import { CONSENT, insertDataset, lease, postJob, sendEvent, setPlan, sha256, workerToken, type Trainer } from '../jobs/fixtures.ts';
import { unzip } from '../helpers/unzip.ts';

// Steps rather than the preset's epochs, and cpu-reference's learning rate, so a short real run learns.
const PARAMS = { steps: 40, rank: 8, alpha: 16, target_modules: ['q_proj', 'v_proj'], learning_rate: 0.01, batch_size: 4, seed: 3 };
const AXOLOTL = { modalities: ['text'], base_families: ['llama'], backends: ['axolotl'], gpu: { name: 'NVIDIA H100 80GB HBM3', vram_mb: 81920, count: 1 } };

async function textOwner(name = 'Support Bot'): Promise<Trainer> {
  const ip = randomIp();
  const u = await signUp('Texter', ip);
  const m = await call(modelsRoute.POST, '/api/lora/models', { cookie: u.cookie, headers: peerHeaders(ip), body: { name, modality: 'text', kind: 'chat' } });
  if (m.status !== 201) throw new Error(`model create failed: ${JSON.stringify(m.body)}`);
  await setPlan(m.body.workspace_id, 'pro');
  const datasetId = await insertDataset({ workspaceId: m.body.workspace_id, ownerId: u.userId, modelId: m.body.id, modality: 'text' });
  return { ...u, ip, workspaceId: m.body.workspace_id, modelId: m.body.id, datasetId };
}

/** The cpu-reference writers on the tiny text base's projections: real PEFT tensors and config. */
async function peftFiles(o: { tensorRank: number; config: { rank: number; alpha: number; targetModules: string[] }; layers?: string[] }) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'peft-'));
  const rng = new Prng(7);
  const wanted = o.layers ?? ['q_proj', 'v_proj'];
  const layers = textLinears()
    .filter((s) => wanted.includes(s.name.split('.').at(-1)!))
    .map((s) => {
      const l = new Linear(s.name, s.out, s.in, new Float32Array(s.out * s.in), null);
      l.lora = new LoraAdapter(o.tensorRank, o.config.alpha, s.in, s.out).init(rng);
      l.lora.B.fill(0.01);
      return l;
    });
  const files = await writePeftFiles(dir, layers, adapterConfig({ ...o.config, dropout: 0.05 }));
  return { model: new Uint8Array(readFileSync(files.model)), config: new Uint8Array(readFileSync(files.config)) };
}

async function upload(slot: { url: string; content_type: string }, bytes: Uint8Array) {
  const token = new URL(slot.url).pathname.split('/').pop()!;
  const res = await serveLocalStorage(new Request(slot.url, { method: 'PUT', headers: { 'content-type': slot.content_type, 'content-length': String(bytes.length) }, body: Buffer.from(bytes) }), token);
  expect(res.status).toBeLessThan(300);
}

let token: string;
beforeAll(async () => {
  token = await workerToken();
});

interface Run {
  jobId: string;
  versionId: string;
  status: string;
  error: { code: string; message: string } | null;
}

interface Produced {
  model: Uint8Array;
  config: Uint8Array;
  metrics: { step: number; loss?: number; val_loss?: number }[];
  summary: Record<string, number | string | boolean | null>;
}

/** Hand-written outputs: the given files and a falling, flattening 40-step curve (validation every 8 steps). */
const handMade = (files: { model: Uint8Array; config: Uint8Array }, curve = true) => async (): Promise<Produced> => ({
  ...files,
  metrics: curve
    ? Array.from({ length: 40 }, (_, i) => ({ step: i + 1, loss: 1.2 + 2 * Math.exp(-(i + 1) / 6), ...((i + 1) % 8 === 0 ? { val_loss: 1.5 + 1.5 * Math.exp(-(i + 1) / 10) } : {}) }))
    : [],
  summary: { final_loss: 1.2 + 2 * Math.exp(-40 / 6), steps: 40 },
});

/** One training run as a worker reports it; `extra` are companion files beyond adapter_config.json. */
async function run(o: Trainer, produce: (spec: JobSpec) => Promise<Produced>, opts: { extra?: Record<string, Uint8Array>; backend?: string; caps?: object } = {}): Promise<Run> {
  const job = await postJob(o, { model_id: o.modelId, dataset_id: o.datasetId, base_model: 'llama-3.1-8b-instruct', params: PARAMS, consent: CONSENT.text });
  expect(job.status, JSON.stringify(job.body)).toBe(201);
  let spec: JobSpec | null = null;
  while (!spec) {
    const l = await lease(token, 'w-text', opts.caps);
    if (l.status !== 200) throw new Error(`job ${job.body.id} was not leased (${l.status})`);
    if (l.body.spec.job_id === job.body.id) spec = l.body.spec;
  }
  const id = job.body.id as string;
  let seq = 0;
  const ev = (type: string, data: object) => sendEvent({ type, job_id: id, attempt: 1, seq: seq++, data } as never);
  await ev('job.started', { worker_id: 'w-text', backend: opts.backend ?? 'cpu-reference', gpu: null });
  const out = await produce(spec);
  for (const m of out.metrics) expect((await ev('job.metrics', m)).status).toBe(200);
  await upload(spec.outputs.artifact, out.model);
  const reported = [];
  for (const [name, bytes] of Object.entries({ 'adapter_config.json': out.config, ...opts.extra })) {
    const slot = spec.outputs.extra_files[name]!;
    await upload(slot, bytes);
    reported.push({ name, key: slot.key, sha256: sha256(bytes), bytes: bytes.length });
  }
  const done = await ev('job.succeeded', {
    artifact: { key: spec.outputs.artifact.key, sha256: sha256(out.model), bytes: out.model.length },
    files: reported,
    summary: out.summary,
    gpu_seconds: 0,
  });
  expect(done.status).toBe(200);
  const db = await getDb();
  const [row] = await db.select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id));
  return { jobId: id, versionId: job.body.version_id, status: row!.status, error: row!.error ?? null };
}

const get = (o: Trainer, id: string) => call(versionRoute.GET, `/api/lora/versions/${id}`, { cookie: o.cookie, params: { id } });

/** The GET download route as a browser calls it, keeping the body as bytes. */
async function fetchDownload(o: Trainer, id: string, file?: string): Promise<Response> {
  const q = file === undefined ? '' : `?file=${encodeURIComponent(file)}`;
  const req = new Request(`${APP}/api/lora/versions/${id}/download${q}`, { headers: { cookie: o.cookie, ...peerHeaders(o.ip) } });
  return downloadRoute.GET(req, { params: Promise.resolve({ id }) });
}

async function followSigned(res: Response): Promise<Response> {
  expect(res.status).toBe(302);
  const url = res.headers.get('location')!;
  return serveLocalStorage(new Request(url), new URL(url).pathname.split('/').pop()!);
}

/** The real cpu-reference text run on the leased spec and a generated chat set. */
async function trainForReal(spec: JobSpec): Promise<Produced> {
  const rec = recordingContext(spec, makeChatSet(60));
  const job = await trainTextJob(rec.ctx);
  const metrics = ofType(rec.events, 'metrics').map((m) => ({ step: m.step, ...(m.loss !== undefined ? { loss: m.loss } : {}), ...(m.valLoss !== undefined ? { val_loss: m.valLoss } : {}) }));
  const config = job.result.extraFiles.find((f) => f.name === 'adapter_config.json')!;
  return {
    model: new Uint8Array(readFileSync(job.result.artifactPath)),
    config: new Uint8Array(readFileSync(config.path)),
    metrics,
    summary: job.result.summary as Produced['summary'],
  };
}

describe('text LoRA versions: files, quality, serving, lineage, downloads', () => {
  let o: Trainer;
  let produced: Produced;
  let files: { model: Uint8Array; config: Uint8Array };
  const tokenizerConfig = new TextEncoder().encode('{"model_max_length": 8192}\n');
  let r: Run;

  beforeAll(async () => {
    o = await textOwner();
    r = await run(
      o,
      async (spec) => {
        produced = await trainForReal(spec);
        return produced;
      },
      { extra: { 'tokenizer_config.json': tokenizerConfig } },
    );
    files = { model: produced.model, config: produced.config };
  });

  it('a verified version lists every file, its quality, a serving snippet naming the adapter, and its lineage', async () => {
    expect(r).toMatchObject({ status: 'succeeded', error: null });
    const res = await get(o, r.versionId);
    expect(res.status).toBe(200);
    const v = res.body;
    expect(v).toMatchObject({ status: 'ready', modality: 'text', artifact_format: 'peft', artifact_meta: { rank: 8, alpha: 16 } });
    expect(v.files).toEqual([
      { name: 'adapter_model.safetensors', bytes: files.model.length, sha256: sha256(files.model), download_url: `/api/lora/versions/${r.versionId}/download?file=adapter_model.safetensors` },
      { name: 'adapter_config.json', bytes: files.config.length, sha256: sha256(files.config), download_url: `/api/lora/versions/${r.versionId}/download?file=adapter_config.json` },
      { name: 'tokenizer_config.json', bytes: tokenizerConfig.length, sha256: sha256(tokenizerConfig), download_url: `/api/lora/versions/${r.versionId}/download?file=tokenizer_config.json` },
    ]);

    // Quality from the metrics events of the final attempt: the real run's curves.
    const train = produced.metrics.filter((m) => m.loss !== undefined).map((m) => ({ step: m.step, loss: m.loss! }));
    const val = produced.metrics.filter((m) => m.val_loss !== undefined).map((m) => ({ step: m.step, loss: m.val_loss! }));
    expect(train).toHaveLength(40);
    expect(val.length).toBeGreaterThan(3);
    expect(v.quality.final_train_loss).toBe(train.at(-1)!.loss);
    expect(v.quality.final_val_loss).toBe(produced.summary.final_val_loss);
    expect(v.quality.perplexity.source).toBe('val');
    expect(v.quality.perplexity.value).toBeCloseTo(produced.summary.perplexity as number, 3);
    expect(v.quality.convergence).toEqual(convergenceOf(train, val));
    expect(v.quality.convergence.label).not.toBe('unknown');
    expect(v.quality.convergence.label).not.toBe('diverged');

    // Serving: the adapter's name, the base's Hugging Face repo, rank 8 → --max-lora-rank 8.
    expect(v.serving.adapter_name).toBe('support-bot-v1');
    expect(v.serving.warning).toMatch(/cpu-reference.*lora-studio-tiny-text-v1.*meta-llama\/Llama-3\.1-8B-Instruct/);
    expect(v.serving.vllm).toBe(
      vllmSnippet({
        adapterName: 'support-bot-v1',
        baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
        rank: 8,
        files: ['adapter_model.safetensors', 'adapter_config.json', 'tokenizer_config.json'],
        warning: v.serving.warning,
      }),
    );
    expect(v.serving.vllm).toContain('vllm serve meta-llama/Llama-3.1-8B-Instruct \\\n  --enable-lora \\\n  --max-lora-rank 8 \\\n  --lora-modules support-bot-v1=./support-bot-v1\n');
    expect(v.serving.vllm).toContain('"model": "support-bot-v1"');
    expect(v.serving.lorax).toContain('ghcr.io/predibase/lorax:latest --model-id meta-llama/Llama-3.1-8B-Instruct');
    expect(v.serving.lorax).toContain('"adapter_id": "/adapters/support-bot-v1",\n      "adapter_source": "local"');

    const [ds] = await (await getDb()).select().from(tables.loraDatasets).where(eq(tables.loraDatasets.id, o.datasetId));
    expect(v.lineage).toEqual({
      dataset_id: o.datasetId,
      dataset_hash: ds!.datasetHash,
      job_id: r.jobId,
      base_model: 'llama-3.1-8b-instruct',
      base_model_hf_repo: 'meta-llama/Llama-3.1-8B-Instruct',
      params: v.params,
      backend: 'cpu-reference',
      attempt: 1,
    });
    expect(v.params).toMatchObject(PARAMS);

    // The list shows the same version identically.
    const list = await call(versionsRoute.GET, `/api/lora/versions?model_id=${o.modelId}`, { cookie: o.cookie });
    expect(list.body.data).toEqual([v]);
  });

  it('?file=<name> → a short-lived signed URL to exactly the stored bytes, under the PEFT name; audited', async () => {
    const res = await followSigned(await fetchDownload(o, r.versionId, 'adapter_config.json'));
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(files.config))).toBe(true);
    expect(res.headers.get('content-disposition')).toContain('filename="adapter_config.json"');
    const weights = await followSigned(await fetchDownload(o, r.versionId));
    expect(sha256(new Uint8Array(await weights.arrayBuffer()))).toBe(sha256(files.model));
    const tok = await followSigned(await fetchDownload(o, r.versionId, 'tokenizer_config.json'));
    expect(Buffer.from(await tok.arrayBuffer()).equals(Buffer.from(tokenizerConfig))).toBe(true);

    const audit = await (await getDb())
      .select()
      .from(tables.auditLog)
      .where(and(eq(tables.auditLog.action, 'artifact.download'), eq(tables.auditLog.targetId, r.versionId)));
    expect(audit.map((a) => (a.metadata as { file: string }).file).sort()).toEqual(['adapter_config.json', 'adapter_model.safetensors', 'tokenizer_config.json']);
    expect(audit[0]).toMatchObject({ actorId: o.userId, workspaceId: o.workspaceId });
  });

  it('?file=all → a zip of <adapter>/ with every file (same bytes) and a README.txt carrying the snippets', async () => {
    const res = await fetchDownload(o, r.versionId, 'all');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toContain('filename="support-bot-v1.zip"');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(Number(res.headers.get('content-length'))).toBe(bytes.length);
    const entries = await unzip(bytes);
    expect([...entries.keys()]).toEqual([
      'support-bot-v1/adapter_model.safetensors',
      'support-bot-v1/adapter_config.json',
      'support-bot-v1/tokenizer_config.json',
      'support-bot-v1/README.txt',
    ]);
    expect(entries.get('support-bot-v1/adapter_model.safetensors')!.equals(Buffer.from(files.model))).toBe(true);
    expect(entries.get('support-bot-v1/adapter_config.json')!.equals(Buffer.from(files.config))).toBe(true);
    expect(entries.get('support-bot-v1/tokenizer_config.json')!.equals(Buffer.from(tokenizerConfig))).toBe(true);
    const v = (await get(o, r.versionId)).body;
    const readme = entries.get('support-bot-v1/README.txt')!.toString('utf8');
    expect(readme).toContain(`adapter_model.safetensors  ${files.model.length} bytes  sha256 ${sha256(files.model)}`);
    expect(readme).toContain(v.serving.vllm);
    expect(readme).toContain(v.serving.lorax);
    // Same version, same zip.
    expect(Buffer.from(await (await fetchDownload(o, r.versionId, 'all')).arrayBuffer()).equals(bytes)).toBe(true);
    const audit = await (await getDb())
      .select()
      .from(tables.auditLog)
      .where(and(eq(tables.auditLog.action, 'artifact.download'), eq(tables.auditLog.targetId, r.versionId)));
    const zips = audit.filter((a) => (a.metadata as { file: string }).file === 'all');
    expect(zips).toHaveLength(2);
    expect(zips[0]!.metadata).toMatchObject({ files: ['adapter_model.safetensors', 'adapter_config.json', 'tokenizer_config.json'], sha256: sha256(files.model) });
  });

  it('names that are not recorded are 404 (no path tricks); another workspace gets 404 everywhere', async () => {
    for (const name of ['../x', '../../adapter_config.json', 'ADAPTER_CONFIG.JSON', 'special_tokens_map.json', 'a1-adapter_config.json', '%2e%2e%2fx']) {
      const res = await fetchDownload(o, r.versionId, name);
      expect(res.status, name).toBe(404);
      expect((await res.json()).error.code).toBe('not_found');
    }
    const other = await textOwner('Other');
    expect((await get(other, r.versionId)).status).toBe(404);
    for (const file of [undefined, 'adapter_config.json', 'all']) expect((await fetchDownload(other, r.versionId, file)).status).toBe(404);
    expect((await fetchDownload(o, 'ver_nosuchversion', 'all')).status).toBe(404);
    expect((await fetchDownload(o, r.versionId, '')).status).toBe(422);
  });
});

describe('documented in /api/openapi.json', () => {
  it('the GET download with ?file=, and the new version fields', () => {
    const doc = buildOpenApiDocument();
    const op = doc.paths['/api/lora/versions/{id}/download']?.get as { parameters?: { name: string; in: string }[] } | undefined;
    expect(op?.parameters?.some((p) => p.name === 'file' && p.in === 'query')).toBe(true);
    const view = JSON.stringify(doc.paths['/api/lora/versions/{id}']?.get);
    for (const field of ['files', 'download_url', 'quality', 'convergence', 'serving', 'vllm', 'lorax', 'lineage', 'backend', 'attempt']) expect(view).toContain(`"${field}"`);
  });
});

describe('adapter_config.json is checked against the request and the tensors', () => {
  it('tensors of rank 4 under a config saying r=8 → failed, naming the tensor and both ranks', async () => {
    const o = await textOwner();
    const r = await run(o, handMade(await peftFiles({ tensorRank: 4, config: { rank: 8, alpha: 16, targetModules: ['q_proj', 'v_proj'] } })));
    expect(r.status).toBe('failed');
    expect(r.error).toEqual({
      code: 'artifact_config_mismatch',
      message: 'The PEFT adapter is inconsistent: the weights do not match adapter_config.json: base_model.model.model.layers.0.self_attn.q_proj.lora_A has shape [4, 64], but r=8 needs [8, in].',
    });
    const v = (await get(o, r.versionId)).body;
    expect(v).toMatchObject({ status: 'failed', files: [], serving: null, failure_reason: `artifact_config_mismatch: ${r.error!.message}` });
    expect((await fetchDownload(o, r.versionId, 'all')).status).toBe(412);
  });

  it('a rank-16 adapter (config and tensors agree) when the job asked for rank 8 → failed', async () => {
    const o = await textOwner();
    const r = await run(o, handMade(await peftFiles({ tensorRank: 16, config: { rank: 16, alpha: 16, targetModules: ['q_proj', 'v_proj'] } })));
    expect(r.error).toEqual({ code: 'artifact_config_mismatch', message: 'The PEFT adapter is inconsistent: adapter_config.json has r=16, the job asked for rank 8.' });
  });

  it('lora_alpha or target_modules other than requested → failed with the difference', async () => {
    const o = await textOwner();
    const alpha = await run(o, handMade(await peftFiles({ tensorRank: 8, config: { rank: 8, alpha: 32, targetModules: ['q_proj', 'v_proj'] } })));
    expect(alpha.error?.message).toBe('The PEFT adapter is inconsistent: adapter_config.json has lora_alpha=32, the job asked for alpha 16.');
    const extra = await run(o, handMade(await peftFiles({ tensorRank: 8, config: { rank: 8, alpha: 16, targetModules: ['k_proj', 'q_proj', 'v_proj'] }, layers: ['q_proj', 'k_proj', 'v_proj'] })));
    expect(extra.error?.message).toBe('The PEFT adapter is inconsistent: adapter_config.json target_modules [k_proj, q_proj, v_proj] include [k_proj], which the job did not ask for ([q_proj, v_proj]).');
    const untargeted = await run(o, handMade(await peftFiles({ tensorRank: 8, config: { rank: 8, alpha: 16, targetModules: ['q_proj'] }, layers: ['q_proj', 'v_proj'] })));
    expect(untargeted.error?.message).toBe(
      'The PEFT adapter is inconsistent: the weights do not match adapter_config.json: base_model.model.model.layers.0.self_attn.v_proj is adapted but not in target_modules ["q_proj"].',
    );
  });

  it('the tiny base name is accepted only from cpu-reference; a real backend must name the requested repo', async () => {
    // A Llama-layout adapter from an axolotl worker whose header names the real base.
    const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
    for (const m of ['q_proj', 'v_proj']) {
      tensors[`base_model.model.model.layers.0.self_attn.${m}.lora_A.weight`] = { dtype: 'F32', shape: [8, 32], data: new Float32Array(256).fill(0.01) };
      tensors[`base_model.model.model.layers.0.self_attn.${m}.lora_B.weight`] = { dtype: 'F32', shape: [32, 8], data: new Float32Array(256).fill(0.02) };
    }
    const model = encodeSafetensors(tensors, { format: 'pt', base_model_name_or_path: 'meta-llama/Llama-3.1-8B-Instruct' });
    const config = (base: string) =>
      new TextEncoder().encode(JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'], base_model_name_or_path: base, task_type: 'CAUSAL_LM' }));
    const o = await textOwner();
    const opts = { backend: 'axolotl', caps: AXOLOTL };
    const tiny = await run(o, handMade({ model, config: config('lora-studio-tiny-text-v1') }), opts);
    expect(tiny.error?.message).toBe(
      'The PEFT adapter is inconsistent: adapter_config.json does not fit the requested base: it was trained on lora-studio-tiny-text-v1, the job asked for meta-llama/Llama-3.1-8B-Instruct.',
    );
    const other = await run(o, handMade({ model, config: config('meta-llama/Llama-3.2-1B') }), opts);
    expect(other.error?.message).toMatch(/it was trained on meta-llama\/Llama-3\.2-1B, the job asked for meta-llama\/Llama-3\.1-8B-Instruct/);
    const real = await run(o, handMade({ model, config: config('meta-llama/Llama-3.1-8B-Instruct') }, false), opts);
    expect(real).toMatchObject({ status: 'succeeded', error: null });
    const v = (await get(o, real.versionId)).body;
    expect(v.serving.warning).toBeNull();
    expect(v.serving.vllm.startsWith('# Put the adapter files in ./support-bot-v3/')).toBe(true);
    expect(v.quality.convergence).toEqual({ label: 'unknown', reason: 'No training-loss curve was recorded.' });
    expect(v.lineage).toMatchObject({ backend: 'axolotl', attempt: 1, job_id: real.jobId });
  });
});

// Issue #11, defect 3: once a version is `ready`, what it serves is what was verified.
// Real jobs through the real routes (lease → signed PUTs through the local-storage route →
// signed worker events → verification), then an attacker holding the spec's upload URLs
// (they live for the whole job deadline) tries to replace the weights, a companion file and
// the log; and storage itself is tampered under the verified keys. Download (302 and the
// JSON link) and the streamed zip must keep serving the verified bytes or refuse — never
// other bytes under the recorded checksum.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as downloadRoute from '@/app/api/lora/versions/[id]/download/route';
import { getDb, tables } from '@/server/db';
import { getStorage, serveLocalStorage } from '@/server/storage';
import { APP, call } from '../helpers/http.ts';
import { unzip } from '../helpers/unzip.ts';
import { jobBody, kohyaLora, lease, postJob, sendEvent, sha256, TINY_MODULES, tinyPeftAdapter, trainer, workerToken, type Trainer } from '../jobs/fixtures.ts';

type Slot = { url: string; key: string; content_type: string };

/** PUT bytes to a signed slot exactly as a worker (or whoever holds the URL) does. */
async function put(slot: Slot, bytes: Uint8Array): Promise<number> {
  const token = new URL(slot.url).pathname.split('/').pop()!;
  const res = await serveLocalStorage(new Request(slot.url, { method: 'PUT', headers: { 'content-type': slot.content_type, 'content-length': String(bytes.length) }, body: Buffer.from(bytes) }), token);
  await res.arrayBuffer();
  return res.status;
}

async function readAll(body: ReadableStream<Uint8Array> | null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  if (!body) return Buffer.alloc(0);
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    chunks.push(Buffer.from(value));
  }
}

/** GET a signed URL through the app's local-storage route; the body read may fail mid-way. */
async function fetchSigned(url: string): Promise<Response> {
  const token = new URL(url).pathname.split('/').pop()!;
  return serveLocalStorage(new Request(url), token);
}

function getDownload(t: Trainer, id: string, file?: string): Promise<Response> {
  const q = file ? `?file=${encodeURIComponent(file)}` : '';
  return downloadRoute.GET(new Request(`${APP}/api/lora/versions/${id}/download${q}`, { headers: { cookie: t.cookie, 'x-forwarded-for': t.ip } }), { params: Promise.resolve({ id }) });
}

/** The bytes a person gets by following the 302 of GET …/download. */
async function downloaded(t: Trainer, id: string, file?: string): Promise<Buffer> {
  const res = await getDownload(t, id, file);
  expect(res.status).toBe(302);
  const got = await fetchSigned(res.headers.get('location')!);
  expect(got.status).toBe(200);
  return readAll(got.body);
}

async function zipEntries(t: Trainer, id: string): Promise<Map<string, Buffer>> {
  const res = await getDownload(t, id, 'all');
  expect(res.status).toBe(200);
  return unzip(await readAll(res.body));
}

const versionRow = async (id: string) => (await (await getDb()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, id)))[0]!;
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

let token: string | null = null;
let seq = 0;

interface Run {
  t: Trainer;
  jobId: string;
  versionId: string;
  spec: { outputs: { artifact: Slot; logs: Slot; extra_files: Record<string, Slot> } };
  ev: (type: string, data: object) => ReturnType<typeof sendEvent>;
}

async function leased(modality: 'image' | 'text'): Promise<Run> {
  const t = await trainer({ modality });
  const job = await postJob(t, jobBody(t, {}, modality));
  expect(job.status).toBe(201);
  token ??= await workerToken();
  for (;;) {
    const l = await lease(token, 'w-security');
    if (l.status !== 200) throw new Error(`job ${job.body.id} was not leased (${l.status})`);
    if (l.body.spec.job_id !== job.body.id) continue;
    const jobId = job.body.id as string;
    seq = 0;
    const ev = (type: string, data: object) => sendEvent({ type, job_id: jobId, attempt: 1, seq: seq++, data } as never);
    await ev('job.started', { worker_id: 'w-security', backend: 'cpu-reference', gpu: null });
    return { t, jobId, versionId: job.body.version_id as string, spec: l.body.spec, ev };
  }
}

const LOG = new TextEncoder().encode('step 1 loss 0.9\nstep 50 loss 0.1\n');

/** An image version made `ready` the production way; returns the run and the verified weights. */
async function readyImageVersion(): Promise<Run & { lora: Uint8Array }> {
  const run = await leased('image');
  const lora = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
  expect(await put(run.spec.outputs.artifact, lora)).toBe(200);
  expect(await put(run.spec.outputs.logs, LOG)).toBe(200);
  const done = await run.ev('job.succeeded', { artifact: { key: run.spec.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: {}, gpu_seconds: 0 });
  expect(done.body.status).toBe('succeeded');
  return { ...run, lora };
}

describe('verified outputs cannot be replaced through the job spec’s upload URLs', () => {
  it('image: a second PUT to the artifact and logs URLs after `ready` changes nothing that is served', async () => {
    const run = await readyImageVersion();
    const { t, versionId, lora, spec } = run;
    const before = await versionRow(versionId);
    expect(before.checksum).toBe(sha256(lora));

    // The attacker's bytes: another well-formed LoRA, and another log.
    const evil = kohyaLora({ rank: 4, alpha: 4, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    const artifactPut = await put(spec.outputs.artifact, evil);
    const logPut = await put(spec.outputs.logs, new TextEncoder().encode('nothing to see here\n'));

    // GET …/download (302) and the POST link both serve the verified bytes.
    expect(sha256(await downloaded(t, versionId))).toBe(before.checksum);
    const link = await call(downloadRoute.POST, `/api/lora/versions/${versionId}/download`, { cookie: t.cookie, headers: { 'x-forwarded-for': t.ip }, params: { id: versionId }, body: {} });
    expect(link.status).toBe(200);
    expect(link.body.sha256).toBe(before.checksum);
    const viaLink = await fetchSigned(link.body.url);
    expect(sha256(await readAll(viaLink.body))).toBe(before.checksum);
    // …and the zip.
    const entries = await zipEntries(t, versionId);
    const weights = [...entries].find(([name]) => name.endsWith('.safetensors'))!;
    expect(sha256(weights[1])).toBe(before.checksum);

    // The log the job keeps is the one uploaded before success.
    const job = await jobRow(run.jobId);
    expect(job.logsKey).not.toBe(spec.outputs.logs.key);
    expect((await getStorage().driver.getBytes(job.logsKey!)).equals(Buffer.from(LOG))).toBe(true);
    // The version points at objects no upload URL was issued for.
    const after = await versionRow(versionId);
    expect(after.artifactKey).not.toBe(spec.outputs.artifact.key);
    expect(after.checksum).toBe(before.checksum);
    // The local driver serves the PUTs itself, so it also closes a slot once its object was verified.
    expect(artifactPut).toBe(409);
    expect(logPut).toBe(409);
  });

  it('text: a second PUT to adapter_config.json and the weights after `ready` does not change download or zip', async () => {
    const run = await leased('text');
    const { adapter, config } = tinyPeftAdapter();
    const configSlot = run.spec.outputs.extra_files['adapter_config.json']!;
    expect(await put(run.spec.outputs.artifact, adapter)).toBe(200);
    expect(await put(configSlot, config)).toBe(200);
    const files = [{ name: 'adapter_config.json', key: configSlot.key, sha256: sha256(config), bytes: config.length }];
    const done = await run.ev('job.succeeded', { artifact: { key: run.spec.outputs.artifact.key, sha256: sha256(adapter), bytes: adapter.length }, files, summary: {}, gpu_seconds: 0 });
    expect(done.body.status).toBe('succeeded');

    const evilConfig = new TextEncoder().encode(JSON.stringify({ peft_type: 'LORA', r: 64, lora_alpha: 1, base_model_name_or_path: 'evil/base', target_modules: ['o_proj'] }));
    const configPut = await put(configSlot, evilConfig);
    const weightsPut = await put(run.spec.outputs.artifact, new Uint8Array(adapter.length).fill(7));

    expect((await downloaded(run.t, run.versionId, 'adapter_config.json')).equals(Buffer.from(config))).toBe(true);
    expect(sha256(await downloaded(run.t, run.versionId, 'adapter_model.safetensors'))).toBe(sha256(adapter));
    const entries = await zipEntries(run.t, run.versionId);
    const byName = new Map([...entries].map(([k, v]) => [k.split('/').pop()!, v]));
    expect(byName.get('adapter_config.json')!.equals(Buffer.from(config))).toBe(true);
    expect(sha256(byName.get('adapter_model.safetensors')!)).toBe(sha256(adapter));
    expect([configPut, weightsPut]).toEqual([409, 409]);
  });

  it('a worker retry (two PUTs to a slot before success) still works: the version holds the last upload', async () => {
    const run = await leased('image');
    const first = kohyaLora({ rank: 4, alpha: 4, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    const second = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    expect(await put(run.spec.outputs.artifact, first)).toBe(200);
    expect(await put(run.spec.outputs.artifact, second)).toBe(200);
    expect(await put(run.spec.outputs.logs, LOG)).toBe(200);
    expect(await put(run.spec.outputs.logs, LOG)).toBe(200);
    const done = await run.ev('job.succeeded', { artifact: { key: run.spec.outputs.artifact.key, sha256: sha256(second), bytes: second.length }, files: [], summary: {}, gpu_seconds: 0 });
    expect(done.body.status).toBe('succeeded');
    expect(sha256(await downloaded(run.t, run.versionId))).toBe(sha256(second));
  });
});

describe('download and zip re-check what they serve', () => {
  it('a same-size tamper under the verified key: the zip and the signed link abort instead of finishing', async () => {
    const { t, versionId, lora } = await readyImageVersion();
    const v = await versionRow(versionId);
    const tampered = Buffer.from(lora);
    tampered[tampered.length - 1] = tampered[tampered.length - 1]! ^ 0xff; // one bit flipped in the last tensor: same size, other bytes
    await getStorage().driver.putStream(v.artifactKey!, tampered, { contentType: 'application/octet-stream', maxBytes: tampered.length });

    const zip = await getDownload(t, versionId, 'all');
    await expect(readAll(zip.body)).rejects.toThrow(/sha256|checksum/i);

    const res = await getDownload(t, versionId);
    expect(res.status).toBe(302);
    const got = await fetchSigned(res.headers.get('location')!);
    // The body may start, but it never completes with the tampered bytes.
    await expect(readAll(got.body)).rejects.toThrow(/sha256|checksum/i);
  });

  it('a different-size tamper: download and the link are refused with a clear error, before anything is served', async () => {
    const { t, versionId, lora } = await readyImageVersion();
    const v = await versionRow(versionId);
    const longer = Buffer.concat([Buffer.from(lora), Buffer.from('appended')]);
    await getStorage().driver.putStream(v.artifactKey!, longer, { contentType: 'application/octet-stream', maxBytes: longer.length });

    for (const file of [undefined, 'all']) {
      const res = await call(downloadRoute.GET, `/api/lora/versions/${versionId}/download${file ? `?file=${file}` : ''}`, { cookie: t.cookie, headers: { 'x-forwarded-for': t.ip }, params: { id: versionId } });
      expect(res.status, String(file)).toBe(500);
      expect(res.body.error.code).toBe('internal_server_error');
      expect(res.body.error.message).toMatch(/does not match/);
    }
    const link = await call(downloadRoute.POST, `/api/lora/versions/${versionId}/download`, { cookie: t.cookie, headers: { 'x-forwarded-for': t.ip }, params: { id: versionId }, body: {} });
    expect(link.status).toBe(500);
    expect(link.body.error.message).toMatch(/does not match/);
  });
});

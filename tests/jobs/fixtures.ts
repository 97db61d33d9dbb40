// Shared set-up for the training tests: a user on a plan, a LoRA, a `ready` dataset whose
// archive really is in storage (the upload/commit flow belongs to another suite), job
// creation through the real route, and the protocol pieces a worker would use.
import { createHash, randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { buildSignedHeaders, encodeEvent, encodeSafetensors, jobAttemptHeaders, type WorkerEvent } from '@lora-studio/protocol';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import * as leaseRoute from '@/app/api/workers/lease/route';
import { getDb, tables } from '@/server/db';
import { newId } from '@/server/ids';
import { getStorage } from '@/server/storage';
import { datasetArchiveKey } from '@/server/storage/keys';
import { jobAttemptSecret } from '@/server/webhooks/secrets';
import { createWorkerToken } from '@/server/workers/tokens';
import { call, peerHeaders } from '../helpers/http.ts';
import { randomIp, signUp, type TestUser } from '../helpers/users.ts';

export const CONSENT = {
  image: { accepted: true, statement_version: 'v1', statement: 'I have the rights to these images and consent to training on them' },
  text: { accepted: true, statement_version: 'v1', statement: 'I have the rights to these conversations and consent to training on them' },
} as const;

export interface Trainer extends TestUser {
  ip: string;
  workspaceId: string;
  modelId: string;
  datasetId: string;
}

export async function setPlan(workspaceId: string, plan: 'free' | 'pro' | 'enterprise') {
  const db = await getDb();
  await db.update(tables.workspaceSettings).set({ planId: plan }).where(eq(tables.workspaceSettings.workspaceId, workspaceId));
}

export async function insertDataset(p: { workspaceId: string; ownerId: string; modelId: string; modality: 'image' | 'text'; status?: 'ready' | 'validating'; verdict?: 'pass' | 'warn' | 'block' }) {
  const db = await getDb();
  const id = newId('dataset');
  const archive = randomBytes(2048);
  const key = datasetArchiveKey({ workspaceId: p.workspaceId, datasetId: id });
  await getStorage().driver.putStream(key, archive, { contentType: 'application/zip', maxBytes: archive.length });
  await db.insert(tables.loraDatasets).values({
    id,
    workspaceId: p.workspaceId,
    ownerId: p.ownerId,
    loraModelId: p.modelId,
    modality: p.modality,
    status: p.status ?? 'ready',
    verdict: p.verdict ?? 'pass',
    qualityReportJson: p.verdict === 'block' ? { verdict: 'block', reasons: ['Only 3 usable photos; identity LoRAs need at least 15.'] } : { verdict: 'pass', reasons: [] },
    datasetHash: createHash('sha256').update(archive).digest('hex'),
    imageCount: p.modality === 'image' ? 20 : null,
    exampleCount: p.modality === 'text' ? 40 : null,
    archiveKey: key,
    archiveSha256: createHash('sha256').update(archive).digest('hex'),
    archiveBytes: archive.length,
  });
  return id;
}

/** A signed-up user on `plan` with one LoRA and one ready dataset of `modality`. */
export async function trainer(opts: { plan?: 'free' | 'pro' | 'enterprise'; modality?: 'image' | 'text'; dataset?: Partial<Parameters<typeof insertDataset>[0]> } = {}): Promise<Trainer> {
  const ip = randomIp();
  const u = await signUp('Trainer', ip);
  const modality = opts.modality ?? 'image';
  const m = await call(modelsRoute.POST, '/api/lora/models', { cookie: u.cookie, headers: peerHeaders(ip), body: { name: 'Ada', modality, kind: modality === 'image' ? 'identity' : 'chat' } });
  if (m.status !== 201) throw new Error(`model create failed: ${JSON.stringify(m.body)}`);
  const workspaceId = m.body.workspace_id as string;
  await setPlan(workspaceId, opts.plan ?? 'pro');
  const datasetId = await insertDataset({ workspaceId, ownerId: u.userId, modelId: m.body.id, modality, ...opts.dataset });
  return { ...u, ip, workspaceId, modelId: m.body.id, datasetId };
}

export function jobBody(t: Trainer, extra: Record<string, unknown> = {}, modality: 'image' | 'text' = 'image') {
  return {
    model_id: t.modelId,
    dataset_id: t.datasetId,
    base_model: modality === 'image' ? 'sdxl-base-1.0' : 'llama-3.1-8b-instruct',
    params: modality === 'image' ? { steps: 50, rank: 8, alpha: 8 } : { epochs: 1, rank: 8 },
    consent: CONSENT[modality],
    ...extra,
  };
}

export function postJob(t: Trainer, body: unknown, key: string | null = `key-${randomBytes(6).toString('hex')}`) {
  return call(jobsRoute.POST, '/api/lora/jobs', { cookie: t.cookie, body, headers: { ...peerHeaders(t.ip), ...(key ? { 'idempotency-key': key } : {}) } });
}

export const CPU_WORKER = { modalities: ['image', 'text'], base_families: ['tiny'], backends: ['cpu-reference'], gpu: null } as const;

export async function workerToken(): Promise<string> {
  return (await createWorkerToken(await getDb(), { name: 'test worker' })).token;
}

export function lease(token: string, workerId = 'w-1', caps: object = CPU_WORKER) {
  return call(leaseRoute.POST, '/api/workers/lease', { body: { worker_id: workerId, capabilities: caps }, headers: { authorization: `Bearer ${token}` } });
}

type EventInput = Omit<WorkerEvent, 'occurred_at'> & { occurred_at?: string };

/** POST one event exactly as the worker does: encodeEvent bytes, signed with the attempt key. */
export function sendEvent(e: EventInput, opts: { secret?: string; now?: Date; webhookId?: string; headers?: Record<string, string> } = {}) {
  const body = encodeEvent({ occurred_at: new Date().toISOString(), ...e } as WorkerEvent);
  const secret = opts.secret ?? jobAttemptSecret(e.job_id, e.attempt);
  const headers = { ...buildSignedHeaders({ body, secret, now: opts.now, id: opts.webhookId }), ...jobAttemptHeaders(e.job_id, e.attempt), ...opts.headers };
  return call(webhookRoute.POST, '/api/lora/webhook', { rawBody: body, headers, origin: null });
}

/** A real kohya-layout LoRA: lora_down/lora_up/alpha per module, with ss_* metadata. */
export function kohyaLora(p: { rank: number; alpha: number; modules: string[]; base: string }): Uint8Array {
  const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
  for (const m of p.modules) {
    tensors[`${m}.lora_down.weight`] = { dtype: 'F32', shape: [p.rank, 16], data: Float32Array.from({ length: p.rank * 16 }, (_, i) => Math.sin(i) / 10) };
    tensors[`${m}.lora_up.weight`] = { dtype: 'F32', shape: [16, p.rank], data: Float32Array.from({ length: 16 * p.rank }, (_, i) => Math.cos(i) / 10) };
    tensors[`${m}.alpha`] = { dtype: 'F32', shape: [], data: Float32Array.of(p.alpha) };
  }
  return encodeSafetensors(tensors, { ss_network_dim: String(p.rank), ss_network_alpha: String(p.alpha), ss_base_model_version: p.base, ss_output_name: 'test' });
}

export const TINY_MODULES = ['lora_unet_block_0_proj', 'lora_unet_block_1_proj'];
export const SDXL_MODULES = ['lora_unet_down_blocks_1_attentions_0_transformer_blocks_0_attn1_to_q', 'lora_unet_up_blocks_0_attentions_0_transformer_blocks_0_attn2_to_k'];
/**
 * A tiny PEFT adapter for the cpu-reference text base (rank 8 on q_proj/v_proj) and its
 * adapter_config.json, with r and lora_alpha as a Llama-preset job at rank 8 asks (alpha 32):
 * the config is checked against the request.
 */
export function tinyPeftAdapter(): { adapter: Uint8Array; config: Uint8Array } {
  const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
  for (const m of ['q_proj', 'v_proj']) {
    tensors[`base_model.model.model.layers.0.self_attn.${m}.lora_A.weight`] = { dtype: 'F32', shape: [8, 32], data: new Float32Array(256).fill(0.01) };
    tensors[`base_model.model.model.layers.0.self_attn.${m}.lora_B.weight`] = { dtype: 'F32', shape: [32, 8], data: new Float32Array(256) };
  }
  const adapter = encodeSafetensors(tensors);
  const config = new TextEncoder().encode(JSON.stringify({ peft_type: 'LORA', r: 8, lora_alpha: 32, base_model_name_or_path: 'lora-studio-tiny-text-v1', target_modules: ['q_proj', 'v_proj'] }));
  return { adapter, config };
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

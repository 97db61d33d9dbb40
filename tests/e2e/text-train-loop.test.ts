import { decodeSafetensors } from '@lora-studio/protocol';
import type { PullWorker } from '@lora-studio/worker';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as estimateRoute from '@/app/api/lora/jobs/estimate/route';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import * as downloadRoute from '@/app/api/lora/versions/[id]/download/route';
import * as versionRoute from '@/app/api/lora/versions/[id]/route';
import { overrideEnvForTests } from '@/env';
import { getDb } from '@/server/db';
import { loraVersions } from '@/server/db/schema/index.ts';
import { getStorage } from '@/server/storage';
import { waitForTextValidation } from '@/server/text-datasets/registry';
import { call } from '../helpers/http.ts';
import { prng } from '../helpers/prng.ts';
import { signUp } from '../helpers/users.ts';
import { setPlan } from '../jobs/fixtures.ts';
import { createTextModel, getDataset, uploadText } from '../text-datasets/helpers.ts';
import { startAppServer, startTestWorker, type AppServer } from './app-server.ts';

// Issue 7's acceptance with real parts: a conversation file uploaded through the API and
// validated in the background, an estimate for Balanced on 1× A100 80 GB, a job with that
// preset and GPU, the unmodified reference worker training the PEFT adapter over HTTP on
// cpu-reference, and the stored adapter read back: its config and tensors match the request.

const CONSENT = { accepted: true, statement_version: 'v1', statement: 'I have the rights to these conversations and consent to training on them' };
const TOPICS = ['billing', 'shipping', 'returns', 'passwords', 'invoices', 'delivery times', 'gift cards', 'accounts'];

/** 160 distinct support conversations in OpenAI `messages` JSONL. */
function conversations(): Buffer {
  const rng = prng(7);
  const lines: string[] = [];
  for (let i = 0; i < 160; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const n = Math.floor(rng() * 1000);
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'system', content: 'You are a concise support assistant for Acme.' },
          { role: 'user', content: `Question ${i}: I have a problem with ${topic}, order ${n}.` },
          { role: 'assistant', content: `Thanks for asking about ${topic}. Order ${n} is being checked; you will hear from us within a day.` },
        ],
      }),
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

let server: AppServer;
let worker: PullWorker;
let cookie: string;
let apiKey: string;
let modelId: string;
let datasetId: string;

beforeAll(async () => {
  const user = await signUp('TextLoop');
  cookie = user.cookie;
  modelId = (await createTextModel(cookie, 'Support bot')).id;
  apiKey = (await call(keysRoute.POST, '/api/api-keys', { cookie, body: { name: 'e2e text' } })).body.key;
  datasetId = (await uploadText(cookie, modelId, 'support.jsonl', conversations())).datasetId;
  await waitForTextValidation(datasetId);
  const me = await import('@/app/api/me/route');
  await setPlan((await call(me.GET, '/api/me', { cookie })).body.workspace.id, 'pro');
  // From here on the app is served on a real port; signed URLs and callbacks must point there.
  server = await startAppServer();
  overrideEnvForTests({ APP_URL: server.url });
  worker = await startTestWorker(server.url, 'e2e-text-1');
}, 180_000);

afterAll(async () => {
  await worker?.shutdown('test over');
  await server?.close();
});

describe('text LoRA: conversations → Balanced on 1× A100 80 GB → PEFT adapter', () => {
  it('validates, estimates, trains on the local worker and stores an adapter that matches the request', async () => {
    const ds = (await getDataset(cookie, datasetId)).body;
    expect(ds.status).toBe('ready');
    expect(ds.example_count).toBe(160);

    const choice = { base_model: 'llama-3.1-8b-instruct', preset: 'balanced', gpu_type: 'a100_80gb', gpu_count: 1 };
    const est = await call(estimateRoute.POST, '/api/lora/jobs/estimate', { apiKey, body: { ...choice, dataset_id: datasetId } });
    expect(est.status).toBe(200);
    expect(est.body.epochs).toBe(5);
    expect(est.body.gpu).toMatchObject({ type: 'a100_80gb', count: 1 });
    expect(est.body.total_usd).toBeGreaterThan(0);
    expect(est.body.duration_seconds).toBeGreaterThan(0);

    const created = await call(jobsRoute.POST, '/api/lora/jobs', {
      apiKey,
      headers: { 'idempotency-key': 'e2e-text-1' },
      body: { model_id: modelId, dataset_id: datasetId, ...choice, consent: CONSENT },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    // The estimate stored on the job is the one the configurator showed.
    expect(created.body.estimate.total_usd).toBe(est.body.total_usd);
    let job = created.body;
    for (let i = 0; i < 360 && !['succeeded', 'failed', 'canceled'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 500));
      job = (await call(jobRoute.GET, `/api/lora/jobs/${id}`, { apiKey, params: { id } })).body;
    }
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.backend).toBe('cpu-reference');
    expect(job.version.status).toBe('ready');
    expect(job.version.params).toMatchObject({ rank: 16, alpha: 32, learning_rate: 2e-4, epochs: 5, batch_size: 8, dropout: 0.1 });
    expect(job.cost_so_far_usd).toBe(0); // a CPU run bills no GPU

    // The stored adapter, read back independently of the app's own verification.
    const db = await getDb();
    const [row] = await db.select().from(loraVersions).where(eq(loraVersions.id, job.version.id));
    const file = decodeSafetensors(new Uint8Array(await getStorage().driver.getBytes(row!.artifactKey!, { maxBytes: 64 * 1024 * 1024 })));
    const names = Object.keys(file.tensors);
    const a = names.filter((n) => n.endsWith('.lora_A.weight'));
    const b = names.filter((n) => n.endsWith('.lora_B.weight'));
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBe(a.length);
    for (const n of a) expect(file.tensors[n]!.shape[0]).toBe(16);
    for (const n of b) expect(file.tensors[n]!.shape[1]).toBe(16);
    const modules = [...new Set(a.map((n) => n.replace(/\.lora_A\.weight$/, '').split('.').at(-1)!))].sort();
    expect(modules).toEqual(['k_proj', 'o_proj', 'q_proj', 'v_proj']);

    const version = (await call(versionRoute.GET, `/api/lora/versions/${job.version.id}`, { apiKey, params: { id: job.version.id } })).body;
    const configFile = version.files.find((f: { name: string }) => f.name === 'adapter_config.json');
    expect(configFile).toBeTruthy();
    // Downloaded as a user would: the download route answers 302 to a short-lived signed URL.
    const vid = job.version.id as string;
    const dl = await call(downloadRoute.GET, `/api/lora/versions/${vid}/download?file=adapter_config.json`, { apiKey, params: { id: vid } });
    expect(dl.status).toBe(302);
    const got = await fetch(new URL(dl.headers.get('location')!, server.url));
    expect(got.status).toBe(200);
    const config = JSON.parse(await got.text()) as Record<string, unknown>;
    expect(config).toMatchObject({ r: 16, lora_alpha: 32, lora_dropout: 0.1, peft_type: 'LORA', task_type: 'CAUSAL_LM' });
    expect([...(config.target_modules as string[])].sort()).toEqual(modules);

    expect(version.serving.adapter_name).toBe('support-bot-v1');
    expect(version.serving.vllm).toContain('--lora-modules support-bot-v1=');
    expect(version.serving.vllm).toContain('"model": "support-bot-v1"');
    expect(version.quality.final_val_loss).toEqual(expect.any(Number));
    expect(version.lineage).toMatchObject({ dataset_id: datasetId, job_id: id });
  }, 240_000);
});

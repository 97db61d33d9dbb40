import { decodeSafetensors } from '@lora-studio/protocol';
import type { PullWorker } from '@lora-studio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as keysRoute from '@/app/api/api-keys/route';
import * as jobRoute from '@/app/api/lora/jobs/[id]/route';
import * as jobsRoute from '@/app/api/lora/jobs/route';
import { overrideEnvForTests } from '@/env';
import { getStorage } from '@/server/storage';
import { addFiles, createModel as createModelWithCookie, validate } from '../datasets/helpers.ts';
import { call } from '../helpers/http.ts';
import { signUp } from '../helpers/users.ts';
import { identitySet } from '../images/synthetic.ts';
import { setPlan } from '../jobs/fixtures.ts';
import { startAppServer, startTestWorker, type AppServer } from './app-server.ts';

// The whole loop with real parts: dataset upload/commit/validate through the API, a job with
// consent, the unmodified reference worker leasing it over HTTP, training for real on the
// cpu-reference backend, signed events, uploads to signed URLs, and artifact verification.

let server: AppServer;
let worker: PullWorker;
let apiKey: string;
let modelId: string;
let datasetId: string;

beforeAll(async () => {
  const user = await signUp('Loop');
  apiKey = (await call(keysRoute.POST, '/api/api-keys', { cookie: user.cookie, body: { name: 'e2e' } })).body.key;
  const model = await createModelWithCookie(user.cookie);
  modelId = model.id;
  // From here on the app is served on a real port; signed URLs and callbacks must point there.
  server = await startAppServer();
  overrideEnvForTests({ APP_URL: server.url });
  const photos = await identitySet(20);
  const added = await addFiles({ apiKey }, modelId, photos.map((bytes, i) => ({ name: `p${i}.jpg`, bytes })));
  datasetId = added.datasetId;
  expect((await validate({ apiKey }, datasetId)).body.status).toBe('ready');
  const me = await import('@/app/api/me/route');
  await setPlan((await call(me.GET, '/api/me', { apiKey })).body.workspace.id, 'pro');
  worker = await startTestWorker(server.url, 'e2e-1');
}, 180_000);

afterAll(async () => {
  await worker?.shutdown('test over');
  await server?.close();
});

describe('train → worker → verified version', () => {
  it('a job created over the API is leased, trained and verified; loss falls', async () => {
    const created = await call(jobsRoute.POST, '/api/lora/jobs', {
      apiKey,
      headers: { 'idempotency-key': 'e2e-1' },
      body: {
        model_id: modelId,
        dataset_id: datasetId,
        base_model: 'sdxl-base-1.0',
        target_platform: 'sdxl',
        params: { steps: 200, rank: 4, alpha: 4, learning_rate: 0.001 },
        consent: { accepted: true, statement_version: 'v1', statement: 'I have the rights to these images and consent to training on them' },
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    let job = created.body;
    for (let i = 0; i < 240 && !['succeeded', 'failed', 'canceled'].includes(job.status); i++) {
      await new Promise((r) => setTimeout(r, 500));
      job = (await call(jobRoute.GET, `/api/lora/jobs/${id}`, { apiKey, params: { id } })).body;
    }
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(job.backend).toBe('cpu-reference');
    const v = job.version;
    expect(v.status).toBe('ready');
    expect(v.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(v.artifact_format).toBe('kohya');
    expect(v.artifact_meta).toMatchObject({ rank: 4, alpha: 4 });

    // An independent read of the stored artifact: kohya keys, requested rank, ss_* metadata.
    const { getDbHandle } = await import('@/server/db');
    const db = (await getDbHandle()).db;
    const { loraVersions } = await import('@/server/db/schema/index.ts');
    const { eq } = await import('drizzle-orm');
    const [row] = await db.select().from(loraVersions).where(eq(loraVersions.id, v.id));
    const file = decodeSafetensors(new Uint8Array(await getStorage().driver.getBytes(row!.artifactKey!, { maxBytes: 64 * 1024 * 1024 })));
    const names = Object.keys(file.tensors);
    expect(names.some((n) => /^lora_unet_.+\.lora_down\.weight$/.test(n))).toBe(true);
    expect(names.some((n) => n.endsWith('.lora_up.weight'))).toBe(true);
    const down = names.find((n) => n.endsWith('.lora_down.weight'))!;
    expect(file.tensors[down]!.shape[0]).toBe(4);
    expect(file.metadata.ss_network_dim).toBe('4');
    expect(file.metadata.ss_max_train_steps).toBe('200');

    // Loss falls: mean of the first 10 % of reported steps vs the last 10 %.
    const { jobEvents } = await import('@/server/db/schema/index.ts');
    const { and, asc } = await import('drizzle-orm');
    const metrics = await db.select().from(jobEvents).where(and(eq(jobEvents.jobId, id), eq(jobEvents.type, 'metrics'))).orderBy(asc(jobEvents.seq));
    const losses = metrics.map((m) => (m.payload as { loss?: number }).loss).filter((l): l is number => typeof l === 'number');
    expect(losses.length).toBeGreaterThan(20);
    const tenth = Math.max(1, Math.floor(losses.length / 10));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-tenth))).toBeLessThan(mean(losses.slice(0, tenth)) * 0.8);
  });
});

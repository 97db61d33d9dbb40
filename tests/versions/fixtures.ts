// Versions made the way production makes them: a real job through POST /api/lora/jobs,
// leased by a worker token, the artifact PUT to its signed slot, and signed worker events
// (job.succeeded → the control plane re-hashes and parses the safetensors → `ready`;
// job.failed → `failed`). Datasets are either a real upload (photos → commit → validate,
// so the quality report and EXIF-free copies are real) or the quick stand-in of tests/jobs.
import sharp from 'sharp';
import * as modelsRoute from '@/app/api/lora/models/route';
import { serveLocalStorage } from '@/server/storage';
import { addFiles, validate } from '../datasets/helpers.ts';
import { call, peerHeaders } from '../helpers/http.ts';
import { randomIp, signUp } from '../helpers/users.ts';
import { identitySet } from '../images/synthetic.ts';
import { CONSENT, insertDataset, kohyaLora, lease, postJob, sendEvent, setPlan, sha256, TINY_MODULES, workerToken, type Trainer } from '../jobs/fixtures.ts';

export interface Owner extends Trainer {
  triggerWord: string;
  modelName: string;
}

/** A Pro user with one identity LoRA and a ready dataset (real photos when `photos` is given). */
export async function owner(opts: { modelName?: string; triggerWord?: string; description?: string; photos?: Buffer[] } = {}): Promise<Owner> {
  const ip = randomIp();
  const u = await signUp('Owner', ip);
  const modelName = opts.modelName ?? 'Jane portrait';
  const m = await call(modelsRoute.POST, '/api/lora/models', {
    cookie: u.cookie,
    headers: peerHeaders(ip),
    body: { name: modelName, kind: 'identity', trigger_word: opts.triggerWord ?? 'ohwx', description: opts.description ?? '' },
  });
  if (m.status !== 201) throw new Error(`model create failed: ${JSON.stringify(m.body)}`);
  const workspaceId = m.body.workspace_id as string;
  await setPlan(workspaceId, 'pro');
  let datasetId: string;
  if (opts.photos) {
    const added = await addFiles(u.cookie, m.body.id, opts.photos.map((bytes, i) => ({ name: `photo-${String(i + 1).padStart(2, '0')}.jpg`, bytes })));
    datasetId = added.datasetId;
    const v = await validate(u.cookie, datasetId);
    if (v.body.status !== 'ready' || v.body.verdict === 'block') throw new Error(`dataset not trainable: ${JSON.stringify(v.body.quality_report?.reasons)}`);
  } else {
    datasetId = await insertDataset({ workspaceId, ownerId: u.userId, modelId: m.body.id, modality: 'image' });
  }
  return { ...u, ip, workspaceId, modelId: m.body.id, datasetId, triggerWord: m.body.trigger_word, modelName };
}

/** Face photos carrying camera EXIF and GPS, to prove nothing of it reaches a pack. */
export async function photosWithGps(count = 15): Promise<Buffer[]> {
  const photos = await identitySet(count);
  return Promise.all(
    photos.map((p) =>
      sharp(p)
        .jpeg({ quality: 90 })
        .withExifMerge({
          IFD0: { Make: 'TestCam', Model: 'Secret 1' },
          IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 24/1', GPSLongitudeRef: 'E', GPSLongitude: '2/1 21/1 7/1' },
        })
        .toBuffer(),
    ),
  );
}

async function upload(slot: { url: string; content_type: string }, bytes: Uint8Array) {
  const token = new URL(slot.url).pathname.split('/').pop()!;
  const res = await serveLocalStorage(new Request(slot.url, { method: 'PUT', headers: { 'content-type': slot.content_type, 'content-length': String(bytes.length) }, body: Buffer.from(bytes) }), token);
  if (res.status >= 300) throw new Error(`artifact upload failed: ${res.status}`);
}

let token: string | null = null;

/** Train one version through the real job path; returns its id once it is `ready` or `failed`. */
export async function trainVersion(o: Owner, outcome: 'ready' | 'failed' = 'ready', baseModel = 'sdxl-base-1.0'): Promise<string> {
  const job = await postJob(o, { model_id: o.modelId, dataset_id: o.datasetId, base_model: baseModel, params: { steps: 50, rank: 8, alpha: 8 }, consent: CONSENT.image });
  if (job.status !== 201) throw new Error(`job create failed: ${JSON.stringify(job.body)}`);
  token ??= await workerToken();
  let spec: { job_id: string; outputs: { artifact: { url: string; key: string; content_type: string } } } | null = null;
  while (!spec) {
    const l = await lease(token, 'w-versions');
    if (l.status !== 200) throw new Error(`job ${job.body.id} was not leased (${l.status})`);
    if (l.body.spec.job_id === job.body.id) spec = l.body.spec;
  }
  const id = job.body.id as string;
  let seq = 0;
  const ev = (type: string, data: object) => sendEvent({ type, job_id: id, attempt: 1, seq: seq++, data } as never);
  await ev('job.started', { worker_id: 'w-versions', backend: 'cpu-reference', gpu: null });
  if (outcome === 'failed') {
    await ev('job.failed', { code: 'backend_error', message: 'loss became NaN at step 12', retryable: false, last_lines: [] });
  } else {
    const lora = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    await upload(spec.outputs.artifact, lora);
    const done = await ev('job.succeeded', { artifact: { key: spec.outputs.artifact.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: { final_loss: 0.12, steps: 50 }, gpu_seconds: 0 });
    if (done.body.status !== 'succeeded') throw new Error(`job did not succeed: ${JSON.stringify(done.body)}`);
  }
  return job.body.version_id as string;
}

import { createHash } from 'node:crypto';
import * as commitRoute from '@/app/api/lora/datasets/commit/route';
import * as initRoute from '@/app/api/lora/datasets/init/route';
import * as validateRoute from '@/app/api/lora/datasets/validate/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import { serveLocalStorage } from '@/server/storage';
import { call } from '../helpers/http.ts';

/** A cookie string, or an API key (which needs no Origin header). */
export type Who = string | { apiKey: string };
const auth = (who: Who) => (typeof who === 'string' ? { cookie: who } : { apiKey: who.apiKey });

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export interface Upload {
  upload_id: string;
  key: string;
  filename: string;
  url: string;
  headers: Record<string, string>;
}

export async function createModel(who: Who, kind = 'identity') {
  const res = await call(modelsRoute.POST, '/api/lora/models', { ...auth(who), body: { name: 'Test LoRA', kind } });
  return res.body as { id: string; trigger_word: string };
}

export function init(who: Who, body: unknown) {
  return call(initRoute.POST, '/api/lora/datasets/init', { ...auth(who), body });
}

/** PUT through the real signed-URL route, exactly as a browser would. */
export async function put(upload: Upload, bytes: Uint8Array): Promise<Response> {
  const token = new URL(upload.url).pathname.split('/').pop()!;
  return serveLocalStorage(new Request(upload.url, { method: 'PUT', headers: upload.headers, body: Buffer.from(bytes) }), token);
}

export function commit(who: Who, datasetId: string, files: { key: string; sha256: string }[]) {
  return call(commitRoute.POST, '/api/lora/datasets/commit', { ...auth(who), body: { dataset_id: datasetId, files } });
}

export function validate(who: Who, datasetId: string) {
  return call(validateRoute.POST, '/api/lora/datasets/validate', { ...auth(who), body: { dataset_id: datasetId, base_model: 'flux-dev' } });
}

/** init → upload → commit for named files; returns the commit response. */
export async function addFiles(who: Who, modelId: string, files: { name: string; bytes: Buffer }[], datasetId?: string) {
  const res = await init(who, {
    model_id: modelId,
    ...(datasetId ? { dataset_id: datasetId } : {}),
    files: files.map((f) => ({ name: f.name, size: f.bytes.length, content_type: 'image/jpeg' })),
  });
  if (res.status !== 201) throw new Error(`init failed ${res.status} ${JSON.stringify(res.body)}`);
  const uploads = res.body.uploads as Upload[];
  for (const [i, u] of uploads.entries()) {
    const r = await put(u, files[i]!.bytes);
    if (r.status >= 300) throw new Error(`upload failed ${r.status} ${await r.text()}`);
  }
  const committed = await commit(who, res.body.dataset_id, uploads.map((u, i) => ({ key: u.key, sha256: sha256(files[i]!.bytes) })));
  return { datasetId: res.body.dataset_id as string, uploads, committed };
}

import { and, eq } from 'drizzle-orm';
import * as datasetRoute from '@/app/api/lora/datasets/[id]/route';
import * as listRoute from '@/app/api/lora/datasets/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import { getDb } from '@/server/db';
import { auditLog } from '@/server/db/schema/index.ts';
import { serveLocalStorage } from '@/server/storage';
import { call } from '../helpers/http.ts';
import { commit as commitRaw, init, sha256 } from '../datasets/helpers.ts';

export { init, sha256 };

export interface TextUpload {
  upload_id: string;
  key: string;
  filename: string;
  method: 'PUT';
  url?: string;
  headers?: Record<string, string>;
  expires_at: string;
  multipart?: { upload_id: string; part_size: number; parts: { part_number: number; bytes: number; url: string; headers: Record<string, string> }[] };
}

export async function createTextModel(cookie: string, name = 'Support bot') {
  const res = await call(modelsRoute.POST, '/api/lora/models', { cookie, body: { name, modality: 'text', kind: 'chat' } });
  if (res.status !== 201) throw new Error(`model create failed ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string };
}

/** PUT through the real signed-URL route, exactly as a browser would. */
export async function putTo(url: string, headers: Record<string, string>, bytes: Uint8Array): Promise<Response> {
  const token = new URL(url).pathname.split('/').pop()!;
  return serveLocalStorage(new Request(url, { method: 'PUT', headers, body: Buffer.from(bytes) }), token);
}

/** Every part of a multipart target, in order; returns the ETags the storage answered. */
export async function putParts(target: TextUpload, bytes: Buffer): Promise<{ part_number: number; etag: string }[]> {
  const mp = target.multipart!;
  const out = [];
  for (const p of mp.parts) {
    const start = (p.part_number - 1) * mp.part_size;
    const res = await putTo(p.url, p.headers, bytes.subarray(start, start + p.bytes));
    if (res.status !== 200) throw new Error(`part ${p.part_number} failed ${res.status} ${await res.text()}`);
    out.push({ part_number: p.part_number, etag: res.headers.get('etag')! });
  }
  return out;
}

export function commit(cookie: string, datasetId: string, file: { key: string; sha256: string; parts?: { part_number: number; etag: string }[] }) {
  return commitRaw(cookie, datasetId, [file]);
}

export async function getDataset(cookie: string, id: string) {
  return call(datasetRoute.GET, `/api/lora/datasets/${id}`, { cookie, params: { id } });
}

export async function deleteDataset(cookie: string, id: string) {
  return call(datasetRoute.DELETE, `/api/lora/datasets/${id}`, { method: 'DELETE', cookie, params: { id } });
}

export async function listDatasets(cookie: string, query: Record<string, string>) {
  return call(listRoute.GET, `/api/lora/datasets?${new URLSearchParams(query)}`, { cookie });
}

/** init → single PUT → commit; returns the init target and the commit response. */
export async function uploadText(cookie: string, modelId: string, name: string, bytes: Buffer, opts: { sha?: string; base_model?: string } = {}) {
  const res = await init(cookie, { model_id: modelId, files: [{ name, size: bytes.length, content_type: 'application/jsonl' }], ...(opts.base_model ? { base_model: opts.base_model } : {}) });
  if (res.status !== 201) throw new Error(`init failed ${res.status} ${JSON.stringify(res.body)}`);
  const target = res.body.uploads[0] as TextUpload;
  const put = await putTo(target.url!, target.headers!, bytes);
  if (put.status !== 200) throw new Error(`upload failed ${put.status} ${await put.text()}`);
  const committed = await commit(cookie, res.body.dataset_id, { key: target.key, sha256: opts.sha ?? sha256(bytes) });
  return { datasetId: res.body.dataset_id as string, target, committed };
}

export async function auditActions(datasetId: string): Promise<string[]> {
  const db = await getDb();
  const rows = await db.select({ action: auditLog.action }).from(auditLog).where(and(eq(auditLog.targetType, 'lora_dataset'), eq(auditLog.targetId, datasetId))).orderBy(auditLog.createdAt);
  return rows.map((r) => r.action);
}

// ── conversation files ──────────────────────────────────────────────────────────────
export const j = (o: unknown) => JSON.stringify(o);
export const conv = (i: number, system = true) =>
  j({
    messages: [
      ...(system ? [{ role: 'system', content: 'You are a helpful support agent.' }] : []),
      { role: 'user', content: `Question number ${i}: how do I reset my password on device ${i}?` },
      { role: 'assistant', content: `For device ${i}, open Settings → Account → Reset password and follow the link we email you.` },
    ],
  });

/** `n` distinct, valid conversations, one per line. */
export const goodJsonl = (n: number, from = 0) => Buffer.from(Array.from({ length: n }, (_, i) => conv(from + i)).join('\n') + '\n');

/** About `bytes` of distinct valid conversations (padded answers), for multipart uploads. */
export function bigJsonl(bytes: number): Buffer {
  const pad = 'x'.repeat(900);
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = j({ messages: [{ role: 'user', content: `Ticket ${i}: summarise the log.` }, { role: 'assistant', content: `Summary ${i}: ${pad}` }] }) + '\n';
    lines.push(line);
    size += Buffer.byteLength(line);
  }
  return Buffer.from(lines.join(''));
}

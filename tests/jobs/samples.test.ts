import { describe, expect, it } from 'vitest';
import * as samplesRoute from '@/app/api/lora/jobs/[id]/samples/route';
import * as localRoute from '@/app/api/storage/local/[token]/route';
import { buildOpenApiDocument } from '@/app/api/openapi.json/document';
import { getStorage } from '@/server/storage';
import { call } from '../helpers/http.ts';
import { jobBody, lease, postJob, sendEvent, trainer, workerToken, type Trainer } from './fixtures.ts';

const samples = (t: Trainer, id: string) => call(samplesRoute.GET, `/api/lora/jobs/${id}/samples`, { cookie: t.cookie, params: { id } });

/** Reads a signed URL the way a browser would: through the local storage route. */
async function download(url: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const token = new URL(url).pathname.split('/api/storage/local/')[1]!;
  const res = await localRoute.GET(new Request(url), { params: Promise.resolve({ token }) });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

// A tiny valid PNG is not needed: storage serves bytes as they are; the type comes from the slot.
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

describe('GET /api/lora/jobs/:id/samples', () => {
  it('lists sample events by step with signed GET URLs that serve the uploaded bytes', async () => {
    const t = await trainer();
    const id = (await postJob(t, jobBody(t))).body.id as string;
    expect((await samples(t, id)).body).toEqual({ data: [] });

    const token = await workerToken();
    let l = await lease(token);
    while (l.body?.spec?.job_id !== id) {
      if (l.status !== 200) throw new Error(`not leased: ${l.status}`);
      l = await lease(token);
    }
    const slots = l.body.spec.outputs.samples as { key: string; content_type: string }[];
    await sendEvent({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } });
    for (const [i, step] of [10, 20].entries()) {
      await getStorage().driver.putStream(slots[i]!.key, PNG, { contentType: 'image/png', maxBytes: PNG.length });
      const res = await sendEvent({ type: 'job.sample', job_id: id, attempt: 1, seq: i + 1, data: { step, key: slots[i]!.key, content_type: 'image/png', prompt: `p${step}` } });
      expect(res.status).toBeLessThan(300);
    }

    const res = await samples(t, id);
    expect(res.status).toBe(200);
    expect(res.body.data.map((s: { step: number; attempt: number; prompt: string }) => [s.step, s.attempt, s.prompt])).toEqual([
      [10, 1, 'p10'],
      [20, 1, 'p20'],
    ]);
    const first = res.body.data[0] as { url: string; expires_at: string; content_type: string };
    expect(first.content_type).toBe('image/png');
    // Short-lived: minutes, not days.
    const ttl = new Date(first.expires_at).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(60_000);
    expect(ttl).toBeLessThanOrEqual(15 * 60_000);
    expect(JSON.stringify(res.body)).not.toContain(slots[0]!.key); // keys stay private
    const got = await download(first.url);
    expect(got.status).toBe(200);
    expect(got.bytes.equals(PNG)).toBe(true);
  });

  it("another workspace's job is 404; no session is 401", async () => {
    const a = await trainer();
    const b = await trainer();
    const id = (await postJob(a, jobBody(a))).body.id as string;
    expect((await samples(b, id)).status).toBe(404);
    expect((await call(samplesRoute.GET, `/api/lora/jobs/${id}/samples`, { params: { id } })).status).toBe(401);
  });

  it('is documented in /api/openapi.json with its response fields', () => {
    const op = buildOpenApiDocument().paths['/api/lora/jobs/{id}/samples']?.get as { responses: Record<string, { content?: Record<string, { schema: unknown }> }> } | undefined;
    expect(op).toBeDefined();
    const schema = JSON.stringify(op!.responses);
    for (const field of ['step', 'attempt', 'url', 'expires_at', 'content_type']) expect(schema).toContain(`"${field}"`);
  });
});

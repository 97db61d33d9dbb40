// Issue #11 / #7: a worker's text reaches Postgres (job_events payloads, the job's error,
// the version's failure reason). A NUL printed by a trainer used to answer 500; the worker
// retries 5xx in order, so one bad line blocked every later event. Older workers still send
// raw text, so the control plane must store it sanitised and answer 2xx.
import { buildSignedHeaders, jobAttemptHeaders } from '@lora-studio/protocol';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import * as webhookRoute from '@/app/api/lora/webhook/route';
import { getDb, tables } from '@/server/db';
import { jobAttemptSecret } from '@/server/webhooks/secrets';
import { call } from '../helpers/http.ts';
import { serveLocalStorage } from '@/server/storage';
import { jobBody, kohyaLora, lease, postJob, sha256, TINY_MODULES, trainer, workerToken } from '../jobs/fixtures.ts';

async function leasedJob() {
  const t = await trainer();
  const job = await postJob(t, jobBody(t));
  const token = await workerToken();
  for (;;) {
    const l = await lease(token, `w-${job.body.id}`);
    if (l.status !== 200) throw new Error(`job ${job.body.id} was not leased`);
    if (l.body.spec.job_id === job.body.id) return job.body.id as string;
  }
}

/**
 * An event exactly as an older worker sends it: JSON.stringify of the raw text (a NUL becomes
 * the escape \u0000, a lone surrogate \ud800), signed with the attempt key — no sanitising.
 */
function sendRaw(e: { type: string; job_id: string; attempt: number; seq: number; data: unknown }) {
  const body = JSON.stringify({ ...e, occurred_at: new Date().toISOString() });
  const headers = { ...buildSignedHeaders({ body, secret: jobAttemptSecret(e.job_id, e.attempt) }), ...jobAttemptHeaders(e.job_id, e.attempt) };
  return call(webhookRoute.POST, '/api/lora/webhook', { rawBody: body, headers, origin: null });
}

const rows = async (id: string, type: string) =>
  (await (await getDb()).select().from(tables.jobEvents).where(and(eq(tables.jobEvents.jobId, id), eq(tables.jobEvents.type, type as never)))).map((r) => r.payload as Record<string, unknown>);
const jobRow = async (id: string) => (await (await getDb()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;

describe('worker text with NUL, lone surrogates and control characters', () => {
  it('job.log with a NUL line → 2xx, stored sanitised, and the next events are accepted', async () => {
    const id = await leasedJob();
    const started = await sendRaw({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: 'RTX\u00004090\ud800' } });
    expect(started.status).toBe(200);
    const log = await sendRaw({ type: 'job.log', job_id: id, attempt: 1, seq: 1, data: { stream: 'stdout', lines: ['step 1\u0000 loss=0.5', 'half \ud83d pair', '\u001b[31mred\u001b[0m\tbell\u0007'] } });
    expect(log.status).toBe(200);
    const [stored] = await rows(id, 'log');
    expect(stored!.lines).toEqual(['step 1\uFFFD loss=0.5', 'half \uFFFD pair', 'red\tbell']);
    expect((await rows(id, 'status')).find((p) => p.event === 'job.started')!.gpu).toBe('RTX\uFFFD4090\uFFFD');
    // Not blocked: progress after the bad line is applied.
    const progress = await sendRaw({ type: 'job.progress', job_id: id, attempt: 1, seq: 2, data: { step: 5, total_steps: 50, stage: 'training' } });
    expect(progress.status).toBe(200);
    expect(await jobRow(id)).toMatchObject({ step: 5, lastSeq: 2 });
  });

  it('job.failed with NULs and lone surrogates in message and last_lines → 2xx; job and version store the sanitised text', async () => {
    const id = await leasedJob();
    expect((await sendRaw({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } })).status).toBe(200);
    const failed = await sendRaw({
      type: 'job.failed',
      job_id: id,
      attempt: 1,
      seq: 1,
      data: { code: 'backend_error', message: 'trainer crashed\u0000 here \udfff', retryable: false, last_lines: ['Traceback\u0000', 'oops\ud800'] },
    });
    expect(failed.status).toBe(200);
    const job = await jobRow(id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'backend_error', message: 'trainer crashed\uFFFD here \uFFFD', last_lines: ['Traceback\uFFFD', 'oops\uFFFD'] });
    const version = (await (await getDb()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, job.loraVersionId)))[0]!;
    expect(version).toMatchObject({ status: 'failed', failureReason: 'backend_error: trainer crashed\uFFFD here \uFFFD' });
  });
});

describe("the artifact's own text (safetensors metadata) is stored sanitised", () => {
  it('a LoRA whose metadata holds a NUL and a lone surrogate → job.succeeded 200, version ready, metadata with U+FFFD', async () => {
    const t = await trainer();
    const job = await postJob(t, jobBody(t));
    const id = job.body.id as string;
    const token = await workerToken();
    let spec;
    for (;;) {
      const l = await lease(token, `w-${id}`);
      if (l.status !== 200) throw new Error(`job ${id} was not leased`);
      if (l.body.spec.job_id === id) {
        spec = l.body.spec;
        break;
      }
    }
    const clean = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    // The same tensors with two more metadata entries, the header written by JSON.stringify:
    // the NUL travels as \u0000 and the surrogate as \ud800, as any trainer's writer would emit.
    const header = JSON.parse(Buffer.from(clean.subarray(8, 8 + Number(Buffer.from(clean).readBigUInt64LE(0)))).toString('utf8'));
    header.__metadata__ = { ...header.__metadata__, ss_tag_frequency: 'cat\u0000dog', ss_output_name: 'ada\ud800' };
    const json = Buffer.from(JSON.stringify(header));
    const padded = Buffer.concat([json, Buffer.alloc((8 - (json.length % 8)) % 8, 0x20)]);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(padded.length));
    const lora = Buffer.concat([len, padded, Buffer.from(clean.subarray(8 + Number(Buffer.from(clean).readBigUInt64LE(0))))]);
    const slot = spec.outputs.artifact;
    const put = await serveLocalStorage(new Request(slot.url, { method: 'PUT', headers: { 'content-type': slot.content_type, 'content-length': String(lora.length) }, body: lora }), new URL(slot.url).pathname.split('/').pop()!);
    expect(put.status).toBeLessThan(300);
    expect((await sendRaw({ type: 'job.started', job_id: id, attempt: 1, seq: 0, data: { worker_id: 'w', backend: 'cpu-reference', gpu: null } })).status).toBe(200);
    const done = await sendRaw({ type: 'job.succeeded', job_id: id, attempt: 1, seq: 1, data: { artifact: { key: slot.key, sha256: sha256(lora), bytes: lora.length }, files: [], summary: { note: 'fine\u0000' }, gpu_seconds: 0 } });
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('succeeded');
    const job2 = await jobRow(id);
    const version = (await (await getDb()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, job2.loraVersionId)))[0]!;
    expect(version.status).toBe('ready');
    expect((version.artifactMeta as { file_metadata: Record<string, string> }).file_metadata).toMatchObject({ ss_tag_frequency: 'cat\uFFFDdog', ss_output_name: 'ada\uFFFD' });
    expect(version.metricsSummary).toMatchObject({ note: 'fine\uFFFD' });
  });
});

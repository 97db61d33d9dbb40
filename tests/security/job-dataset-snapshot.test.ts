// Issue #11, defects #2 and #5: a job trains on the exact dataset snapshot (archive key +
// sha256) it was validated and consented for. A retry after the dataset changed is refused
// (412); a job whose snapshot is gone or whose spec cannot be built is failed on its own,
// with a stable code, and never takes the lease (or the push dispatch loop) down for others.
// Real components only: PGlite, storage on a temp dir, the real routes in-process.
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LeaseResponse } from '@lora-studio/protocol';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as itemRoute from '@/app/api/lora/datasets/[id]/items/[itemId]/route';
import * as cancelRoute from '@/app/api/lora/jobs/[id]/cancel/route';
import * as retryRoute from '@/app/api/lora/jobs/[id]/retry/route';
import * as modelsRoute from '@/app/api/lora/models/route';
import { overrideEnvForTests } from '@/env';
import { getDb, tables } from '@/server/db';
import { runSchedulerTick } from '@/server/scheduler/tick';
import { getStorage, serveLocalStorage } from '@/server/storage';
import { addFiles, validate } from '../datasets/helpers.ts';
import { call } from '../helpers/http.ts';
import { randomIp, signUp } from '../helpers/users.ts';
import { landscape } from '../images/synthetic.ts';
import { CPU_WORKER, jobBody, lease, postJob, setPlan, sha256, trainer, workerToken, type Trainer } from '../jobs/fixtures.ts';

interface PhotoTenant extends Trainer {
  itemIds: string[];
}

let photos: Buffer[] = [];

beforeAll(async () => {
  photos = await Promise.all(Array.from({ length: 6 }, (_, i) => landscape(100 + i, 768, 640)));
}, 120_000);

// The lease takes the OLDEST queued job of any workspace: each test starts with none live.
beforeEach(async () => {
  const live = inArray(tables.loraJobs.status, ['queued', 'dispatched', 'running', 'cancel_requested']);
  await (await getDb()).update(tables.loraJobs).set({ status: 'canceled', leaseExpiresAt: null }).where(live);
});

/** A product LoRA whose dataset went through the real init → upload → commit → validate. */
async function photoTenant(): Promise<PhotoTenant> {
  const ip = randomIp();
  const u = await signUp('Tenant', ip);
  const m = await call(modelsRoute.POST, '/api/lora/models', { cookie: u.cookie, headers: { 'x-forwarded-for': ip }, body: { name: 'Mug', modality: 'image', kind: 'product' } });
  expect(m.status).toBe(201);
  await setPlan(m.body.workspace_id, 'enterprise');
  const { datasetId, committed } = await addFiles(u.cookie, m.body.id, photos.map((bytes, i) => ({ name: `mug-${i}.jpg`, bytes })));
  expect(committed.status).toBe(200);
  const validated = await validate(u.cookie, datasetId);
  expect(validated.body.status).toBe('ready');
  return { ...u, ip, workspaceId: m.body.workspace_id, modelId: m.body.id, datasetId, itemIds: (committed.body.items as { id: string }[]).map((i) => i.id) };
}

const jobAction = (route: typeof cancelRoute | typeof retryRoute, t: Trainer, id: string, verb: 'cancel' | 'retry') =>
  call(route.POST, `/api/lora/jobs/${id}/${verb}`, { cookie: t.cookie, headers: { 'x-forwarded-for': t.ip }, params: { id }, body: {} });
const removeItem = (t: Trainer, itemId: string) =>
  call(itemRoute.DELETE, `/api/lora/datasets/${t.datasetId}/items/${itemId}`, { method: 'DELETE', cookie: t.cookie, params: { id: t.datasetId, itemId } });

const db = () => getDb();
const jobRow = async (id: string) => (await (await db()).select().from(tables.loraJobs).where(eq(tables.loraJobs.id, id)))[0]!;
const versionRow = async (id: string) => (await (await db()).select().from(tables.loraVersions).where(eq(tables.loraVersions.id, id)))[0]!;
const datasetRow = async (id: string) => (await (await db()).select().from(tables.loraDatasets).where(eq(tables.loraDatasets.id, id)))[0]!;
const consentRow = async (jobId: string) => (await (await db()).select().from(tables.consents).where(eq(tables.consents.jobId, jobId)))[0]!;
const auditOf = async (jobId: string, action: string) =>
  (await db()).select().from(tables.auditLog).where(and(eq(tables.auditLog.targetId, jobId), eq(tables.auditLog.action, action)));

/** The job was failed on its own with `code`: job, version, audit row. */
async function expectFailedAlone(jobId: string, code: string) {
  const row = await jobRow(jobId);
  expect(row).toMatchObject({ status: 'failed', error: { code } });
  expect(row.error!.message.length).toBeGreaterThan(20);
  const version = await versionRow(row.loraVersionId);
  expect(version.status).toBe('failed');
  expect(version.failureReason).toContain(code);
  const audit = await auditOf(jobId, 'job.fail');
  expect(audit).toHaveLength(1);
  expect(audit[0]!.metadata).toMatchObject({ code, attempt: row.attempt });
  expect(audit[0]!.workspaceId).toBe(row.workspaceId);
}

describe('#2: one tenant cannot stop every worker', () => {
  it('cancel, remove every photo, retry: the retry is refused with 412 and workers keep leasing other tenants’ jobs', async () => {
    const attacker = await photoTenant();
    const victim = await trainer();
    const attack = await postJob(attacker, jobBody(attacker));
    expect(attack.status).toBe(201);
    const honest = await postJob(victim, jobBody(victim));
    expect(honest.status).toBe(201);

    expect((await jobAction(cancelRoute, attacker, attack.body.id, 'cancel')).body.status).toBe('canceled');
    for (const itemId of attacker.itemIds) expect((await removeItem(attacker, itemId)).status).toBe(200);

    const retried = await jobAction(retryRoute, attacker, attack.body.id, 'retry');
    expect(retried.status).toBe(412);
    expect(retried.body.error.code).toBe('precondition_failed');
    expect(retried.body.error.message).toMatch(/changed since .*validated/i);
    expect(retried.body.error.message).toMatch(/new training run/i);
    expect(retried.body.error.details).toMatchObject({ dataset_id: attacker.datasetId, job_id: attack.body.id, current_archive_sha256: null });
    expect(await jobRow(attack.body.id)).toMatchObject({ status: 'canceled', attempt: 1 });

    const token = await workerToken();
    const leased = await lease(token, 'another-worker');
    expect(leased.status).toBe(200);
    expect(LeaseResponse.parse(leased.body).spec.job_id).toBe(honest.body.id);
    expect((await lease(token, 'a-third-worker')).status).toBe(204);
  });

  it('a queued job whose photos were all removed is failed with dataset_changed; the same lease hands out the next job', async () => {
    const attacker = await photoTenant();
    const victim = await trainer();
    const attack = await postJob(attacker, jobBody(attacker));
    const honest = await postJob(victim, jobBody(victim));
    for (const itemId of attacker.itemIds) expect((await removeItem(attacker, itemId)).status).toBe(200);

    const token = await workerToken();
    const leased = await lease(token, 'w-any');
    expect(leased.status).toBe(200);
    expect(leased.body.spec.job_id).toBe(honest.body.id);
    await expectFailedAlone(attack.body.id, 'dataset_changed');
    expect((await lease(token, 'w-next')).status).toBe(204);
  });

  it('a job whose archive object is gone from storage is failed with dataset_unavailable; the lease goes on to the next job', async () => {
    const broken = await trainer();
    const fine = await trainer();
    const bad = await postJob(broken, jobBody(broken));
    const good = await postJob(fine, jobBody(fine));
    await getStorage().driver.delete((await datasetRow(broken.datasetId)).archiveKey!);

    const token = await workerToken();
    const leased = await lease(token, 'w-1');
    expect(leased.status).toBe(200);
    expect(leased.body.spec.job_id).toBe(good.body.id);
    await expectFailedAlone(bad.body.id, 'dataset_unavailable');
    expect((await jobRow(bad.body.id)).error!.message).toMatch(/archive/i);
    expect((await lease(token, 'w-2')).status).toBe(204);
  });

  it('any other failure while building the spec fails that job with spec_build_failed (cause logged, not shown); the lease goes on', async () => {
    const odd = await trainer();
    const fine = await trainer();
    const bad = await postJob(odd, jobBody(odd));
    const good = await postJob(fine, jobBody(fine));
    // A corrupt record (a key storage refuses to read) makes the build throw something unplanned.
    const corrupt = 'ws/../escape.zip';
    await (await db()).update(tables.loraDatasets).set({ archiveKey: corrupt }).where(eq(tables.loraDatasets.id, odd.datasetId));
    await (await db()).update(tables.loraVersions).set({ datasetArchiveKey: corrupt }).where(eq(tables.loraVersions.id, bad.body.version_id));

    const token = await workerToken();
    const leased = await lease(token, 'w-odd');
    expect(leased.status).toBe(200);
    expect(leased.body.spec.job_id).toBe(good.body.id);
    await expectFailedAlone(bad.body.id, 'spec_build_failed');
    expect((await jobRow(bad.body.id)).error!.message).not.toContain('storage key');
    expect((await lease(token, 'w-odd-2')).status).toBe(204);
  });

  it('the dataset link in the spec serves only the pinned bytes: an archive rewritten in place (same size) is never delivered whole', async () => {
    const t = await trainer();
    const created = await postJob(t, jobBody(t));
    const ds = await datasetRow(t.datasetId);
    const leased = await lease(await workerToken(), 'w-dl');
    expect(leased.body.spec.job_id).toBe(created.body.id);
    const url = leased.body.spec.dataset.url as string;
    const fetchAll = async () => {
      const res = await serveLocalStorage(new Request(url), new URL(url).pathname.split('/').pop()!);
      return Buffer.from(await res.arrayBuffer());
    };
    expect(sha256(await fetchAll())).toBe(ds.archiveSha256);
    const forged = randomBytes(ds.archiveBytes!);
    await getStorage().driver.putStream(ds.archiveKey!, forged, { contentType: 'application/zip', maxBytes: forged.length });
    await expect(fetchAll()).rejects.toThrow();
  });

  describe('push dispatch (webhook_worker)', () => {
    let server: Server | null = null;
    const pushed: string[] = [];
    afterAll(() => server?.close());

    it('a job whose spec cannot be built is failed; the dispatch loop still pushes the next job', async () => {
      // WORKER_URL points at a port nothing listens on yet: both jobs wait for a retry.
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          pushed.push(JSON.parse(Buffer.concat(chunks).toString('utf8')).job_id as string);
          res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ external_job_id: `wj_${pushed.length}` }));
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const port = (server.address() as AddressInfo).port;
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      overrideEnvForTests({ WORKER_URL: `http://127.0.0.1:${port}` });

      const broken = await trainer();
      const fine = await trainer();
      const bad = await postJob(broken, jobBody(broken, { provider: 'webhook_worker' }));
      const good = await postJob(fine, jobBody(fine, { provider: 'webhook_worker' }));
      expect([(await jobRow(bad.body.id)).status, (await jobRow(good.body.id)).status]).toEqual(['queued', 'queued']);
      await getStorage().driver.delete((await datasetRow(broken.datasetId)).archiveKey!);

      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      await runSchedulerTick(new Date(Date.now() + 3600_000));
      await expectFailedAlone(bad.body.id, 'dataset_unavailable');
      expect(await jobRow(good.body.id)).toMatchObject({ status: 'dispatched', externalJobId: expect.stringMatching(/^wj_/) });
      expect(pushed).toEqual([good.body.id]);
    });
  });
});

describe('#2/#5 on Replicate: dispatch uses the pinned snapshot or fails that job alone', () => {
  let replicate: Server | null = null;
  const trainingsFor: string[] = [];
  afterAll(() => replicate?.close());

  it('a queued Replicate job whose dataset changed is failed with dataset_changed; the next due job is still sent', async () => {
    replicate = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        trainingsFor.push(JSON.parse(raw).input.input_images as string);
        const id = `tr_${trainingsFor.length}`;
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id, status: 'starting', input: {}, logs: '', error: null, created_at: '2025-01-01T00:00:00.000Z', urls: {} }));
      });
    });
    await new Promise<void>((resolve) => replicate!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(replicate.address() as AddressInfo).port}/v1`;
    // No destination yet: both jobs stay queued, due for the scheduler.
    overrideEnvForTests({ REPLICATE_API_BASE: base, REPLICATE_API_TOKEN: 'r8_test_token', REPLICATE_WEBHOOK_SECRET: 'whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ=', REPLICATE_DESTINATION: undefined });

    const changed = await photoTenant();
    const fine = await trainer();
    const bad = await postJob(changed, jobBody(changed, { provider: 'replicate' }));
    const good = await postJob(fine, jobBody(fine, { provider: 'replicate' }));
    expect(bad.status).toBe(201);
    expect([(await jobRow(bad.body.id)).status, (await jobRow(good.body.id)).status]).toEqual(['queued', 'queued']);
    expect((await removeItem(changed, changed.itemIds[0]!)).status).toBe(200);
    expect((await validate(changed.cookie, changed.datasetId)).body.status).toBe('ready');

    overrideEnvForTests({ REPLICATE_DESTINATION: 'acme/loras' });
    await runSchedulerTick(new Date(Date.now() + 3600_000));
    await expectFailedAlone(bad.body.id, 'dataset_changed');
    expect(await jobRow(good.body.id)).toMatchObject({ status: 'dispatched', externalJobId: 'tr_1' });
    expect(trainingsFor).toHaveLength(1);
  });
});

describe('#5: a retry trains on the snapshot it was consented for, or is refused', () => {
  it('unchanged dataset: the retry is accepted and the worker gets the pinned archive named by the version and the consent', async () => {
    const t = await photoTenant();
    const created = await postJob(t, jobBody(t));
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const dataset = await datasetRow(t.datasetId);
    const version = await versionRow(created.body.version_id);
    const consent = await consentRow(id);
    // What was validated and consented to, pinned at create.
    expect(version).toMatchObject({ datasetHash: dataset.datasetHash, datasetArchiveKey: dataset.archiveKey, datasetArchiveSha256: dataset.archiveSha256, datasetArchiveBytes: dataset.archiveBytes });
    expect(consent).toMatchObject({ datasetHash: dataset.datasetHash, datasetArchiveSha256: dataset.archiveSha256 });

    expect((await jobAction(cancelRoute, t, id, 'cancel')).body.status).toBe('canceled');
    const retried = await jobAction(retryRoute, t, id, 'retry');
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ status: 'queued', attempt: 2 });

    const leased = await lease(await workerToken(), 'w-retry', CPU_WORKER);
    expect(leased.status).toBe(200);
    const spec = LeaseResponse.parse(leased.body).spec;
    expect(spec).toMatchObject({ job_id: id, attempt: 2 });
    expect(spec.dataset.sha256).toBe(version.datasetArchiveSha256);
    expect(spec.dataset.sha256).toBe(consent.datasetArchiveSha256);
    expect(spec.dataset.bytes).toBe(version.datasetArchiveBytes);
    expect(spec.dataset.url).toContain('/api/storage/local/');
  });

  it('changed and re-validated (ready, then block): the retry is refused with 412 naming the change; nothing is re-queued', async () => {
    const t = await photoTenant();
    const created = await postJob(t, jobBody(t));
    const id = created.body.id as string;
    const pinned = await versionRow(created.body.version_id);
    expect((await jobAction(cancelRoute, t, id, 'cancel')).body.status).toBe('canceled');

    // One photo fewer, validated again: still trainable, but not what was consented to.
    expect((await removeItem(t, t.itemIds[0]!)).status).toBe(200);
    expect((await validate(t.cookie, t.datasetId)).body.status).toBe('ready');
    const now = await datasetRow(t.datasetId);
    expect(now.archiveSha256).not.toBe(pinned.datasetArchiveSha256);
    const refused = await jobAction(retryRoute, t, id, 'retry');
    expect(refused.status).toBe(412);
    expect(refused.body.error.message).toMatch(/changed since .*validated.*consented/i);
    expect(refused.body.error.message).toContain(t.datasetId);
    expect(refused.body.error.details).toMatchObject({ pinned_archive_sha256: pinned.datasetArchiveSha256, current_archive_sha256: now.archiveSha256 });

    // Fewer than 5 product photos: re-validated as block (the adversarial run's case).
    expect((await removeItem(t, t.itemIds[1]!)).status).toBe(200);
    expect((await validate(t.cookie, t.datasetId)).body.verdict).toBe('block');
    const blocked = await jobAction(retryRoute, t, id, 'retry');
    expect(blocked.status).toBe(412);
    expect(blocked.body.error.message).toMatch(/changed since/i);
    expect(await jobRow(id)).toMatchObject({ status: 'canceled', attempt: 1 });
    expect(await auditOf(id, 'job.retry')).toHaveLength(0);
  });

  it('a queued job whose dataset changed before a worker took it is failed with dataset_changed, never handed the new archive', async () => {
    const t = await photoTenant();
    const created = await postJob(t, jobBody(t));
    expect((await removeItem(t, t.itemIds[0]!)).status).toBe(200);
    expect((await validate(t.cookie, t.datasetId)).body.status).toBe('ready');
    expect((await lease(await workerToken(), 'w-late')).status).toBe(204);
    await expectFailedAlone(created.body.id, 'dataset_changed');
  });

  it('text datasets: the normalized training JSONL is pinned the same way; a rewritten training file fails the job', async () => {
    const t = await trainer({ modality: 'text' });
    const first = await postJob(t, jobBody(t, { params: {} }, 'text'));
    expect(first.status).toBe(201);
    const pinned = await versionRow(first.body.version_id);
    const ds = await datasetRow(t.datasetId);
    expect(pinned).toMatchObject({ datasetArchiveKey: ds.archiveKey, datasetArchiveSha256: ds.archiveSha256 });
    const token = await workerToken();
    const leased = await lease(token, 'w-text');
    expect(leased.body.spec).toMatchObject({ job_id: first.body.id, dataset: { sha256: pinned.datasetArchiveSha256, format: 'jsonl' } });

    // A second job, then the training file at the same key is replaced (a new validation
    // result): the job must not train on bytes nobody consented to.
    const second = await postJob(t, jobBody(t, { params: {} }, 'text'));
    const rewritten = Buffer.from('{"messages":[{"role":"user","content":"other"},{"role":"assistant","content":"data"}]}\n');
    await getStorage().driver.putStream(ds.archiveKey!, rewritten, { contentType: 'application/jsonl', maxBytes: rewritten.length });
    await (await db())
      .update(tables.loraDatasets)
      .set({ archiveSha256: 'f'.repeat(64), archiveBytes: rewritten.length })
      .where(eq(tables.loraDatasets.id, t.datasetId));
    expect((await lease(token, 'w-text-2')).status).toBe(204);
    await expectFailedAlone(second.body.id, 'dataset_changed');
  });
});

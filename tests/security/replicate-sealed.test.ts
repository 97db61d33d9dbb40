// Issue #11, defect 3, the Replicate path: its weights arrive server-side (copy-weights.ts
// streams them into the attempt's artifact slot), then the same finalize runs. The version
// must end up on a sealed copy exactly like a worker's upload, so nothing that later writes
// the slot (a second copy, a resumed completion) changes what is served.
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getDb, tables } from '@/server/db';
import { finalizeSucceeded } from '@/server/jobs/finalize/finalize';
import { getJobForSystem } from '@/server/jobs/internal';
import { outputKeysFor } from '@/server/jobs/spec';
import { systemContext } from '@/server/scheduler/context';
import { getStorage } from '@/server/storage';
import { isSealedKey } from '@/server/storage/keys';
import { jobBody, kohyaLora, postJob, TINY_MODULES, trainer } from '../jobs/fixtures.ts';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('Replicate weights are sealed like a worker upload', () => {
  it('finalize (source replicate) records a sealed key; rewriting the slot afterwards changes nothing served', async () => {
    const t = await trainer();
    const created = await postJob(t, jobBody(t));
    expect(created.status).toBe(201);
    const db = await getDb();
    const jobId = created.body.id as string;
    // Where a Replicate completion stands when it copies the weights: running, stage verifying.
    await db.update(tables.loraJobs).set({ status: 'running', stage: 'verifying', backend: 'cpu-reference' }).where(eq(tables.loraJobs.id, jobId));
    const jv = (await getJobForSystem(db, jobId))!;
    const slot = outputKeysFor(jv, 'image', jv.job.attempt).artifact;
    const weights = kohyaLora({ rank: 8, alpha: 8, modules: TINY_MODULES, base: 'lora-studio-tiny-image-v1' });
    const { driver } = getStorage();
    await driver.putStream(slot, weights, { contentType: 'application/octet-stream', maxBytes: weights.length }); // what copyReplicateWeights does
    const report = { artifact: { key: slot, sha256: sha(weights), bytes: weights.length }, files: [], summary: { provider: 'replicate' }, gpu_seconds: 60 };
    expect(await finalizeSucceeded(await systemContext('test'), { jobId, attempt: jv.job.attempt, report, source: 'replicate' })).toBe('succeeded');

    const [v] = await db.select().from(tables.loraVersions).where(eq(tables.loraVersions.id, jv.version.id));
    expect(v).toMatchObject({ status: 'ready', checksum: sha(weights) });
    expect(v!.artifactKey).not.toBe(slot);
    expect(isSealedKey(v!.artifactKey!)).toBe(true);
    expect(await driver.head(slot)).toBeNull(); // the slot's copy is gone; the sealed one is the artifact

    // Something writes the slot again: the version still reads its sealed, verified bytes.
    await driver.putStream(slot, Buffer.from('not the weights'), { contentType: 'application/octet-stream', maxBytes: 100 });
    expect(sha(await driver.getBytes(v!.artifactKey!))).toBe(v!.checksum);
  });
});

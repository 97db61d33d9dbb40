import { and, eq, isNull } from 'drizzle-orm';
import type { DbOrTx } from '@/server/db';
import { loraDatasets, type LoraDataset } from '@/server/db/schema/index.ts';
import { AppError } from '@/server/errors';
import type { ServiceContext } from '@/server/http/context';
import { systemContext } from '@/server/scheduler/context';
import { getStorage } from '@/server/storage';
import { textTrainingJsonlKey } from '@/server/storage/keys';
import { recordTextFailure, recordTextReport } from './outcome.ts';
import { textPlanOf } from './plan.ts';
import { ProgressWriter } from './progress.ts';
import { streamPass } from './stream-pass.ts';

// Normalized JSONL can be longer than its source (short alpaca records gain role/content
// keys); this cap only stops a runaway, never a real dataset.
const maxTrainingBytes = (raw: number) => Math.min(Number.MAX_SAFE_INTEGER, raw * 8 + 1024 * 1024);

async function isDeleted(db: DbOrTx, id: string): Promise<boolean> {
  const [row] = await db.select({ deletedAt: loraDatasets.deletedAt }).from(loraDatasets).where(eq(loraDatasets.id, id));
  return !row || row.deletedAt !== null;
}

async function validateOnce(ctx: ServiceContext, d: LoraDataset, signal: AbortSignal): Promise<void> {
  const plan = textPlanOf(d);
  const file = plan?.files[0];
  if (!plan || !file?.client_sha256 || d.totalBytes == null) {
    await recordTextFailure(ctx, d.id, { code: 'validation_error', message: 'The upload was not committed completely. Upload the file again.' });
    return;
  }
  const { driver } = getStorage();
  const trainingKey = textTrainingJsonlKey({ workspaceId: d.workspaceId, datasetId: d.id });
  // Aborted from outside (the dataset was deleted in this process) or when a progress write
  // finds the row gone (deleted by another process, or finished elsewhere).
  const stop = new AbortController();
  const forward = () => stop.abort(signal.reason);
  if (signal.aborted) forward();
  signal.addEventListener('abort', forward, { once: true });
  const progress = new ProgressWriter(ctx.db, d.id, d.totalBytes, () => stop.abort(new DOMException('The dataset is no longer validating.', 'AbortError')), ctx.log);
  try {
    const r = await streamPass(driver, {
      sourceKey: file.key,
      trainingKey,
      contextLength: plan.context_length,
      maxTrainingBytes: maxTrainingBytes(d.totalBytes),
      signal: stop.signal,
      onProgress: (p) => progress.report(p.bytes),
    });
    await progress.close();
    if (r.raw.sha256 !== file.client_sha256) {
      const message = `The stored file hashes to ${r.raw.sha256.slice(0, 12)}…, not the sha256 you sent (${file.client_sha256.slice(0, 12)}…): it was altered or is incomplete. Upload it again.`;
      if (await recordTextFailure(ctx, d.id, { code: 'checksum_mismatch', message })) await driver.delete(trainingKey);
    } else if (!(await recordTextReport(ctx, d.id, { report: r.report, rawSha256: r.raw.sha256, training: r.training }))) {
      if (await isDeleted(ctx.db, d.id)) await driver.delete(trainingKey);
    }
  } catch (err) {
    await progress.close();
    if (stop.signal.aborted) {
      // Deleted: clean up what this pass may have stored. Finished elsewhere: leave it alone.
      if (await isDeleted(ctx.db, d.id)) await driver.delete(trainingKey);
      return;
    }
    ctx.log.error({ err, datasetId: d.id }, 'text dataset validation failed');
    const message = err instanceof AppError ? err.message : 'The dataset could not be validated because of an internal error. Commit it again to retry.';
    if (await recordTextFailure(ctx, d.id, { code: 'validation_error', message })) await driver.delete(trainingKey);
  } finally {
    signal.removeEventListener('abort', forward);
  }
}

/**
 * Validate a committed text dataset: read the upload once (sha256 + report + training JSONL)
 * and write the outcome. Never rejects; every outcome lands on the dataset row. Call it through
 * `startTextValidation` (registry.ts), which makes sure it runs once per process.
 */
export async function runTextValidation(datasetId: string, signal: AbortSignal): Promise<void> {
  let ctx = await systemContext('text-validation');
  try {
    const [d] = await ctx.db
      .select()
      .from(loraDatasets)
      .where(and(eq(loraDatasets.id, datasetId), eq(loraDatasets.status, 'validating'), isNull(loraDatasets.deletedAt)));
    if (!d || d.modality !== 'text') return;
    ctx = { ...ctx, workspaceId: d.workspaceId, log: ctx.log.child({ datasetId }) };
    await validateOnce(ctx, d, signal);
  } catch (err) {
    ctx.log.error({ err, datasetId }, 'text dataset validation could not record its outcome');
  }
}

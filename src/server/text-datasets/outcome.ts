// The end of a validation: one transaction with the audit row. Only a runner that finds the
// row still `validating` (and not deleted) writes; anything else means the dataset was deleted
// or another runner already finished it, and this one leaves the row alone.
import { storableJson } from '@lora-studio/protocol';
import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { loraDatasets, type LoraDataset } from '@/server/db/schema/index.ts';
import { withTransaction, type ServiceContext } from '@/server/http/context';
import type { TextQualityReport } from './validation/index.ts';

export interface TrainingFile {
  key: string;
  sha256: string;
  bytes: number;
}

async function lockValidating(tx: ServiceContext, id: string): Promise<LoraDataset | null> {
  const [row] = await tx.db
    .select()
    .from(loraDatasets)
    .where(and(eq(loraDatasets.id, id), eq(loraDatasets.status, 'validating'), isNull(loraDatasets.deletedAt)))
    .for('update');
  return row ?? null;
}

/** ready → pass (warn when anything was left out or flagged); rejected → block. */
export function verdictOf(report: TextQualityReport): 'pass' | 'warn' | 'block' {
  if (report.verdict === 'rejected') return 'block';
  return report.warning_count > 0 || report.error_count > 0 ? 'warn' : 'pass';
}

/** Stores the report and the training file; false when the row is no longer ours to finish. */
export async function recordTextReport(ctx: ServiceContext, id: string, o: { report: TextQualityReport; rawSha256: string; training: TrainingFile }): Promise<boolean> {
  return withTransaction(ctx, async (tx) => {
    if (!(await lockValidating(tx, id))) return false;
    const verdict = verdictOf(o.report);
    await tx.db
      .update(loraDatasets)
      .set({
        status: verdict === 'block' ? 'rejected' : 'ready',
        verdict,
        // The report quotes the file (preview, paths); jsonb cannot hold NUL or broken surrogates.
        qualityReportJson: storableJson(o.report) as unknown as Record<string, unknown>,
        // The training file holds every usable conversation (train and validation split alike).
        exampleCount: o.report.stats.conversations,
        datasetHash: o.rawSha256,
        archiveKey: o.training.key,
        archiveSha256: o.training.sha256,
        archiveBytes: o.training.bytes,
        trainingFileKey: o.training.key,
        validationProgress: 1,
        error: null,
        validatedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(loraDatasets.id, id));
    await recordAudit(tx, {
      action: 'dataset.validate',
      targetType: 'lora_dataset',
      targetId: id,
      metadata: { verdict, conversations: o.report.stats.conversations, errors: o.report.error_count, warnings: o.report.warning_count, dataset_hash: o.rawSha256 },
    });
    return true;
  });
}

/** Marks the dataset failed; false when the row is no longer ours to finish. */
export async function recordTextFailure(ctx: ServiceContext, id: string, error: { code: 'checksum_mismatch' | 'validation_error'; message: string }): Promise<boolean> {
  return withTransaction(ctx, async (tx) => {
    if (!(await lockValidating(tx, id))) return false;
    await tx.db
      .update(loraDatasets)
      .set({
        status: 'failed',
        error,
        verdict: null,
        qualityReportJson: null,
        archiveKey: null,
        archiveSha256: null,
        archiveBytes: null,
        trainingFileKey: null,
        validationProgress: null,
        updatedAt: new Date(),
      })
      .where(eq(loraDatasets.id, id));
    await recordAudit(tx, { action: 'dataset.validate', targetType: 'lora_dataset', targetId: id, metadata: { outcome: 'failed', code: error.code } });
    return true;
  });
}

import { relations } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { baseModels } from './catalog.ts';
import { loraDatasets } from './datasets.ts';
import { createdAt, ts } from './helpers.ts';
import { loraModels } from './models.ts';

export const VERSION_STATUSES = ['pending', 'training', 'ready', 'failed'] as const;

export const loraVersions = pgTable(
  'lora_versions',
  {
    id: text('id').primaryKey(), // ver_…
    workspaceId: text('workspace_id').notNull(),
    loraModelId: text('lora_model_id')
      .notNull()
      .references(() => loraModels.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    trainableBaseModel: text('trainable_base_model')
      .notNull()
      .references(() => baseModels.id),
    targetPlatform: text('target_platform'),
    paramsJson: jsonb('params_json').$type<Record<string, unknown>>().notNull(),
    datasetId: text('dataset_id')
      .notNull()
      .references(() => loraDatasets.id),
    datasetHash: text('dataset_hash').notNull(),
    // The exact training file this version was validated and consented for (pinned at job
    // create): a retry or a re-lease trains on it or not at all (jobs/snapshot.ts). Null
    // only on versions created before the pin existed.
    datasetArchiveKey: text('dataset_archive_key'),
    datasetArchiveSha256: text('dataset_archive_sha256'),
    datasetArchiveBytes: bigint('dataset_archive_bytes', { mode: 'number' }),
    datasetItemCount: integer('dataset_item_count'),
    status: text('status', { enum: VERSION_STATUSES }).notNull().default('pending'),
    artifactKey: text('artifact_key'),
    artifactFiles: jsonb('artifact_files').$type<{ name: string; key: string; sha256: string; bytes: number }[]>(),
    checksum: text('checksum'),
    artifactBytes: bigint('artifact_bytes', { mode: 'number' }),
    artifactFormat: text('artifact_format'),
    artifactMeta: jsonb('artifact_meta').$type<Record<string, unknown>>(),
    previewImagesJson: jsonb('preview_images_json').$type<{ key: string; step: number; prompt?: string }[]>(),
    metricsSummary: jsonb('metrics_summary').$type<Record<string, unknown>>(),
    failureReason: text('failure_reason'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    purgedAt: ts('purged_at'),
  },
  (t) => [
    uniqueIndex('lora_versions_model_number_unique').on(t.loraModelId, t.number),
    index('lora_versions_workspace_idx').on(t.workspaceId, t.createdAt),
  ],
);

export const loraVersionsRelations = relations(loraVersions, ({ one }) => ({
  model: one(loraModels, { fields: [loraVersions.loraModelId], references: [loraModels.id] }),
  dataset: one(loraDatasets, { fields: [loraVersions.datasetId], references: [loraDatasets.id] }),
}));

export type LoraVersion = typeof loraVersions.$inferSelect;

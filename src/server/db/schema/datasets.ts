import { relations } from 'drizzle-orm';
import { bigint, index, integer, jsonb, pgTable, real, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { createdAt, ts } from './helpers.ts';
import { loraModels } from './models.ts';

export const DATASET_STATUSES = ['uploading', 'validating', 'ready', 'rejected', 'failed'] as const;

export const loraDatasets = pgTable(
  'lora_datasets',
  {
    id: text('id').primaryKey(), // ds_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id')
      .notNull()
      .references(() => user.id),
    loraModelId: text('lora_model_id')
      .notNull()
      .references(() => loraModels.id, { onDelete: 'cascade' }),
    name: text('name').notNull().default(''),
    modality: text('modality', { enum: ['image', 'text'] }).notNull(),
    status: text('status', { enum: DATASET_STATUSES }).notNull().default('uploading'),
    // The upload plan issued at init: what the client said it would send. Commit checks against it.
    uploadPlan: jsonb('upload_plan').$type<Record<string, unknown>>().notNull().default({}),
    datasetHash: text('dataset_hash'),
    imageCount: integer('image_count'),
    exampleCount: integer('example_count'),
    totalBytes: bigint('total_bytes', { mode: 'number' }),
    verdict: text('verdict', { enum: ['pass', 'warn', 'block'] }),
    qualityReportJson: jsonb('quality_report_json').$type<Record<string, unknown>>(),
    validationProgress: real('validation_progress'),
    // The file a worker downloads: the images zip, or the normalized training JSONL.
    archiveKey: text('archive_key'),
    archiveSha256: text('archive_sha256'),
    archiveBytes: bigint('archive_bytes', { mode: 'number' }),
    trainingFileKey: text('training_file_key'),
    committedAt: ts('committed_at'),
    validatedAt: ts('validated_at'),
    // Image datasets: raw uploads may still exist (or still arrive through a live signed URL)
    // until this time; the scheduler sweeps the `uploads/` prefix while it is set (datasets/sweep-uploads.ts).
    uploadsSweepAt: ts('uploads_sweep_at'),
    error: jsonb('error').$type<{ code: string; message: string }>(),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    purgedAt: ts('purged_at'),
  },
  (t) => [
    index('lora_datasets_workspace_idx').on(t.workspaceId, t.createdAt),
    index('lora_datasets_model_idx').on(t.loraModelId),
  ],
);

export const loraDatasetItems = pgTable(
  'lora_dataset_items',
  {
    id: text('id').primaryKey(), // dsi_…
    datasetId: text('dataset_id')
      .notNull()
      .references(() => loraDatasets.id, { onDelete: 'cascade' }),
    storageKey: text('storage_key').notNull(), // the original upload
    normalizedKey: text('normalized_key'), // EXIF-free copy used for training
    thumbnailKey: text('thumbnail_key'),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    sha256: text('sha256').notNull(),
    width: integer('width'),
    height: integer('height'),
    phash: text('phash'),
    faceCount: integer('face_count'),
    faceBox: jsonb('face_box').$type<{ x: number; y: number; w: number; h: number }>(),
    faceYaw: real('face_yaw'),
    facePitch: real('face_pitch'),
    faceRoll: real('face_roll'),
    faceEmbedding: jsonb('face_embedding').$type<number[]>(),
    caption: text('caption'),
    status: text('status', { enum: ['ok', 'warn', 'rejected'] }).notNull().default('ok'),
    facts: jsonb('facts').$type<Record<string, unknown>>(),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index('lora_dataset_items_dataset_idx').on(t.datasetId, t.position),
    uniqueIndex('lora_dataset_items_dataset_key_unique').on(t.datasetId, t.storageKey),
  ],
);

export const loraDatasetsRelations = relations(loraDatasets, ({ one, many }) => ({
  model: one(loraModels, { fields: [loraDatasets.loraModelId], references: [loraModels.id] }),
  items: many(loraDatasetItems),
}));
export const loraDatasetItemsRelations = relations(loraDatasetItems, ({ one }) => ({
  dataset: one(loraDatasets, { fields: [loraDatasetItems.datasetId], references: [loraDatasets.id] }),
}));

export type LoraDataset = typeof loraDatasets.$inferSelect;
export type LoraDatasetItem = typeof loraDatasetItems.$inferSelect;

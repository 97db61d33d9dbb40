import { relations } from 'drizzle-orm';
import { bigint, index, integer, jsonb, numeric, pgTable, real, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { createdAt, ts } from './helpers.ts';
import { loraVersions } from './versions.ts';

export const JOB_STATUSES = [
  'queued',
  'dispatched',
  'running',
  'succeeded',
  'failed',
  'canceled',
  'cancel_requested',
] as const;
export const PROVIDERS = ['webhook_worker', 'worker_pool', 'replicate'] as const;

export const loraJobs = pgTable(
  'lora_jobs',
  {
    id: text('id').primaryKey(), // job_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    createdBy: text('created_by').references(() => user.id),
    loraVersionId: text('lora_version_id')
      .notNull()
      .references(() => loraVersions.id, { onDelete: 'cascade' }),
    provider: text('provider', { enum: PROVIDERS }).notNull(),
    backend: text('backend'),
    status: text('status', { enum: JOB_STATUSES }).notNull().default('queued'),
    stage: text('stage').notNull().default('queued'),
    progress: real('progress').notNull().default(0),
    step: integer('step'),
    totalSteps: integer('total_steps'),
    attempt: integer('attempt').notNull().default(1),
    maxAttempts: integer('max_attempts').notNull().default(3),
    leaseOwner: text('lease_owner'),
    leaseExpiresAt: ts('lease_expires_at'),
    externalJobId: text('external_job_id'),
    idempotencyKey: text('idempotency_key'),
    specJson: jsonb('spec_json').$type<Record<string, unknown>>(),
    logsKey: text('logs_key'),
    error: jsonb('error').$type<{ code: string; message: string; last_lines?: string[] }>(),
    costEstimateUsd: numeric('cost_estimate_usd', { precision: 12, scale: 4 }),
    costActualUsd: numeric('cost_actual_usd', { precision: 12, scale: 4 }),
    estimateJson: jsonb('estimate_json').$type<Record<string, unknown>>(),
    gpuSeconds: real('gpu_seconds'),
    lastSeq: integer('last_seq').notNull().default(-1),
    dispatchAttempts: integer('dispatch_attempts').notNull().default(0),
    nextDispatchAt: ts('next_dispatch_at'),
    deadlineAt: ts('deadline_at'),
    startedAt: ts('started_at'),
    finishedAt: ts('finished_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('lora_jobs_workspace_idx').on(t.workspaceId, t.createdAt),
    index('lora_jobs_status_idx').on(t.status, t.createdAt),
    index('lora_jobs_lease_idx').on(t.leaseExpiresAt),
    uniqueIndex('lora_jobs_idempotency_unique').on(t.workspaceId, t.idempotencyKey),
  ],
);

export const EVENT_TYPES = ['status', 'progress', 'metrics', 'log', 'checkpoint', 'sample'] as const;

// Every event a job produced: the source of loss curves, logs and the SSE stream.
// (job_id, attempt, seq) is unique so duplicates and replays are harmless.
export const jobEvents = pgTable(
  'job_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    jobId: text('job_id')
      .notNull()
      .references(() => loraJobs.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    seq: integer('seq').notNull(),
    type: text('type', { enum: EVENT_TYPES }).notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('job_events_job_attempt_seq_unique').on(t.jobId, t.attempt, t.seq),
    index('job_events_job_id_idx').on(t.jobId, t.id),
  ],
);

export const loraJobsRelations = relations(loraJobs, ({ one, many }) => ({
  version: one(loraVersions, { fields: [loraJobs.loraVersionId], references: [loraVersions.id] }),
  events: many(jobEvents),
}));
export const jobEventsRelations = relations(jobEvents, ({ one }) => ({
  job: one(loraJobs, { fields: [jobEvents.jobId], references: [loraJobs.id] }),
}));

export type LoraJob = typeof loraJobs.$inferSelect;
export type JobEvent = typeof jobEvents.$inferSelect;

// Consents, audit, replay protection, costs, notifications, tokens and outgoing webhooks.
import { boolean, index, integer, jsonb, numeric, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { createdAt, ts } from './helpers.ts';

export const consents = pgTable(
  'consents',
  {
    id: text('id').primaryKey(), // cns_…
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id').references(() => user.id),
    datasetId: text('dataset_id').notNull(),
    jobId: text('job_id'),
    // What was consented to: the dataset's content hash and its training file's sha256.
    datasetHash: text('dataset_hash'),
    datasetArchiveSha256: text('dataset_archive_sha256'),
    statementVersion: text('statement_version').notNull(),
    statementHash: text('statement_hash').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
  },
  (t) => [index('consents_dataset_idx').on(t.datasetId)],
);

// No foreign keys: audit rows outlive what they describe.
export const auditLog = pgTable(
  'audit_log',
  {
    id: text('id').primaryKey(), // aud_…
    workspaceId: text('workspace_id'),
    actorType: text('actor_type').notNull(), // user | apiKey | worker | system | webhook
    actorId: text('actor_id'),
    action: text('action').notNull(), // entity.verb
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    userAgent: text('user_agent'),
    requestId: text('request_id'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index('audit_log_workspace_idx').on(t.workspaceId, t.createdAt),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
  ],
);

export const webhookReceipts = pgTable(
  'webhook_receipts',
  {
    id: text('id').primaryKey(), // rcp_…
    source: text('source').notNull(), // worker | replicate
    webhookId: text('webhook_id').notNull(),
    jobId: text('job_id'),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('webhook_receipts_source_id_unique').on(t.source, t.webhookId)],
);

export const costRecords = pgTable(
  'cost_records',
  {
    id: text('id').primaryKey(), // cost_…
    workspaceId: text('workspace_id').notNull(),
    jobId: text('job_id'),
    kind: text('kind').notNull(), // compute | storage
    amountUsd: numeric('amount_usd', { precision: 12, scale: 4 }).notNull(),
    quantity: numeric('quantity', { precision: 16, scale: 4 }),
    unit: text('unit'),
    createdAt: createdAt(),
  },
  (t) => [index('cost_records_workspace_idx').on(t.workspaceId, t.createdAt)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: text('id').primaryKey(), // ntf_…
    workspaceId: text('workspace_id').notNull(),
    userId: text('user_id'),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    link: text('link'),
    readAt: ts('read_at'),
    createdAt: createdAt(),
  },
  (t) => [index('notifications_workspace_idx').on(t.workspaceId, t.createdAt)],
);

// Operator-created worker credentials. Only a sha256 of the secret is stored.
export const workerTokens = pgTable('worker_tokens', {
  id: text('id').primaryKey(), // wkt_…
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull().unique('worker_tokens_token_hash_unique'),
  capabilities: jsonb('capabilities').$type<Record<string, unknown>>(),
  lastSeenAt: ts('last_seen_at'),
  revokedAt: ts('revoked_at'),
  createdBy: text('created_by'),
  createdAt: createdAt(),
});

export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: text('id').primaryKey(), // whe_…
  workspaceId: text('workspace_id')
    .notNull()
    .references(() => organization.id, { onDelete: 'cascade' }),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  events: jsonb('events').$type<string[]>().notNull().default([]),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: createdAt(),
});

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(), // whd_…
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    responseStatus: integer('response_status'),
    nextAttemptAt: ts('next_attempt_at'),
    deliveredAt: ts('delivered_at'),
    createdAt: createdAt(),
  },
  (t) => [index('webhook_deliveries_pending_idx').on(t.status, t.nextAttemptAt)],
);

// Idempotency for mutating API calls that take an Idempotency-Key other than job creation.
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    workspaceId: text('workspace_id').notNull(),
    key: text('key').notNull(),
    route: text('route').notNull(),
    requestHash: text('request_hash').notNull(),
    response: jsonb('response').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('idempotency_keys_unique').on(t.workspaceId, t.route, t.key)],
);

// Used by the Postgres rate-limit store (rate-limiter-flexible creates its own table too).
export const schedulerLocks = pgTable('scheduler_runs', {
  name: text('name').primaryKey(),
  lastRunAt: ts('last_run_at'),
  lockedUntil: ts('locked_until'),
});

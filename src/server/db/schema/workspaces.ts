// Per-workspace settings: plan, budget, retention. One row per organization.
import { integer, numeric, pgTable, text } from 'drizzle-orm/pg-core';
import { organization } from './auth.ts';
import { plans } from './catalog.ts';
import { createdAt, ts } from './helpers.ts';

export const workspaceSettings = pgTable('workspace_settings', {
  workspaceId: text('workspace_id')
    .primaryKey()
    .references(() => organization.id, { onDelete: 'cascade' }),
  planId: text('plan_id')
    .notNull()
    .default('free')
    .references(() => plans.id),
  monthlyBudgetUsd: numeric('monthly_budget_usd', { precision: 12, scale: 2 }),
  retentionDays: integer('retention_days'),
  personal: text('personal_user_id'), // set for a user's personal workspace
  createdAt: createdAt(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type WorkspaceSettings = typeof workspaceSettings.$inferSelect;

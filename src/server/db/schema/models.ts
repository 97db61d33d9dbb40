import { relations } from 'drizzle-orm';
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { organization, user } from './auth.ts';
import { createdAt, ts } from './helpers.ts';

export const loraModels = pgTable(
  'lora_models',
  {
    id: text('id').primaryKey(), // lm_…
    workspaceId: text('workspace_id')
      .notNull()
      .references(() => organization.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id')
      .notNull()
      .references(() => user.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    modality: text('modality', { enum: ['image', 'text'] }).notNull(),
    kind: text('kind', { enum: ['identity', 'style', 'product', 'chat'] }).notNull(),
    triggerWord: text('trigger_word'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
    deletedAt: ts('deleted_at'),
    purgedAt: ts('purged_at'),
  },
  (t) => [index('lora_models_workspace_idx').on(t.workspaceId, t.createdAt)],
);

export const loraModelsRelations = relations(loraModels, ({ one }) => ({
  workspace: one(organization, { fields: [loraModels.workspaceId], references: [organization.id] }),
  owner: one(user, { fields: [loraModels.ownerId], references: [user.id] }),
}));

export type LoraModel = typeof loraModels.$inferSelect;
export type NewLoraModel = typeof loraModels.$inferInsert;

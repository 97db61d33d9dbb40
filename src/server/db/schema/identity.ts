import { pgTable, real, text } from 'drizzle-orm/pg-core';
import { user } from './auth.ts';
import { ts } from './helpers.ts';
import { loraModels } from './models.ts';
import { loraVersions } from './versions.ts';

// One active identity per user: the LoRA version their compiled prompts use.
export const userIdentityActive = pgTable('user_identity_active', {
  userId: text('user_id')
    .primaryKey()
    .references(() => user.id, { onDelete: 'cascade' }),
  workspaceId: text('workspace_id').notNull(),
  loraModelId: text('lora_model_id')
    .notNull()
    .references(() => loraModels.id, { onDelete: 'cascade' }),
  loraVersionId: text('lora_version_id')
    .notNull()
    .references(() => loraVersions.id, { onDelete: 'cascade' }),
  weight: real('weight').notNull(),
  targetPlatform: text('target_platform'),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export type UserIdentityActive = typeof userIdentityActive.$inferSelect;

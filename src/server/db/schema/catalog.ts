// Seeded catalogs: trainable base models, target platforms (prompt profiles) and plans.
// Rows are upserted from src/server/catalog/* at start, so code and data stay in step.
import { boolean, integer, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './helpers.ts';

export const baseModels = pgTable('base_models', {
  id: text('id').primaryKey(), // 'flux-dev', 'sdxl-base-1.0', 'llama-3.1-8b-instruct'…
  name: text('name').notNull(),
  modality: text('modality', { enum: ['image', 'text'] }).notNull(),
  family: text('family').notNull(), // 'flux' | 'sdxl' | 'llama' | 'qwen' | 'mistral'
  revision: text('revision').notNull(),
  hfRepo: text('hf_repo'),
  license: text('license'),
  minResolution: integer('min_resolution'),
  recommendedResolution: integer('recommended_resolution'),
  contextLength: integer('context_length'),
  defaultParams: jsonb('default_params').$type<Record<string, unknown>>().notNull().default({}),
  supportedBackends: jsonb('supported_backends').$type<string[]>().notNull().default([]),
  throughput: jsonb('throughput').$type<Record<string, unknown>>().notNull().default({}),
  loraWeight: jsonb('lora_weight').$type<{ min: number; max: number; default: number }>(),
  enabled: boolean('enabled').notNull().default(true),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
});

// Target platforms are where prompts go. Sora/Veo/Grok are never trainable; SDXL and Flux
// pipelines accept a LoRA tag; LLM serving profiles name an adapter.
export const targetPlatforms = pgTable('target_platforms', {
  id: text('id').primaryKey(), // 'sora-2-pro-max', 'sdxl', 'flux', …
  name: text('name').notNull(),
  vendor: text('vendor').notNull(),
  outputModality: text('output_modality').notNull(),
  basePrompt: text('base_prompt').notNull(),
  preferredOrder: jsonb('preferred_order').$type<string[]>().notNull(),
  capabilities: jsonb('capabilities').$type<Record<string, unknown>>().notNull(),
  recommendedParams: jsonb('recommended_params').$type<Record<string, unknown>>().notNull().default({}),
  usageInstructions: text('usage_instructions').notNull().default(''),
  loraWeight: jsonb('lora_weight').$type<{ min: number; max: number; default: number } | null>(),
  data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
  sortOrder: integer('sort_order').notNull().default(0),
  createdAt: createdAt(),
});

export const plans = pgTable('plans', {
  id: text('id', { enum: ['free', 'pro', 'enterprise'] }).primaryKey(),
  name: text('name').notNull(),
  limits: jsonb('limits').$type<Record<string, number | null>>().notNull(),
  priceMonthlyUsd: integer('price_monthly_usd').notNull().default(0),
  createdAt: createdAt(),
});

export type BaseModel = typeof baseModels.$inferSelect;
export type TargetPlatform = typeof targetPlatforms.$inferSelect;
export type Plan = typeof plans.$inferSelect;

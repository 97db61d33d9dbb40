// A text dataset whose quality report is the real validator's report on a generated file
// (DEMO: 500 distinct, valid OpenAI-messages conversations; tests/helpers/conversations.ts).
// The upload flow is another suite's subject, so the report is written to a `ready` dataset
// row directly.
import { Readable } from 'node:stream';
import { eq } from 'drizzle-orm';
import * as estimateRoute from '@/app/api/lora/jobs/estimate/route';
import { getDb, tables } from '@/server/db';
import { validateConversationStream, type TextQualityReport, type TokenizerId } from '@/server/text-datasets/validation';
import { chatConversations, toJsonl } from '../helpers/conversations.ts';
import { call, peerHeaders } from '../helpers/http.ts';
import type { Trainer } from './fixtures.ts';

export const DEMO_CONVERSATIONS = 500;
export const DEMO = toJsonl(chatConversations(DEMO_CONVERSATIONS, 2024));

const reports = new Map<TokenizerId, Promise<TextQualityReport>>();
export function demoReport(tokenizer: TokenizerId = 'heuristic'): Promise<TextQualityReport> {
  if (!reports.has(tokenizer)) reports.set(tokenizer, validateConversationStream(Readable.from([DEMO]), { contextLength: 8192, tokenizer }));
  return reports.get(tokenizer)!;
}

/** Gives the trainer's dataset the demo file's report and size. */
export async function withReport(t: Trainer, tokenizer: TokenizerId = 'heuristic', datasetId = t.datasetId): Promise<TextQualityReport> {
  const report = await demoReport(tokenizer);
  const db = await getDb();
  await db
    .update(tables.loraDatasets)
    .set({ qualityReportJson: report as unknown as Record<string, unknown>, totalBytes: DEMO.length, exampleCount: report.stats.conversations })
    .where(eq(tables.loraDatasets.id, datasetId));
  return report;
}

/** Train-split tokens as the estimate derives them from a report. */
export const trainTokens = (r: TextQualityReport) => Math.round((r.stats.tokens.total * r.stats.split.train) / r.stats.conversations);

export function postEstimate(t: Trainer, body: unknown) {
  return call(estimateRoute.POST, '/api/lora/jobs/estimate', { cookie: t.cookie, body, headers: peerHeaders(t.ip) });
}

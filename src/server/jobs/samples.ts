// GET /api/lora/jobs/:id/samples — the samples a job's workers rendered, with signed GET URLs.
// The URLs are short-lived on purpose (the monitor asks again when they lapse); the keys are
// never exposed. Only keys inside this job's own storage prefix are signed: ingest already
// refuses keys we did not issue, and this keeps that true even for rows written before.
import { and, asc, eq } from 'drizzle-orm';
import { jobEvents } from '@/server/db/schema/index.ts';
import { requireWorkspace, type ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { jobPrefix } from '@/server/storage/keys';
import { getJobOrThrow } from './internal.ts';
import type { JobSamples } from './schemas.ts';

export const SAMPLE_URL_TTL_SECONDS = 15 * 60;

interface SamplePayload {
  step?: number;
  key?: string;
  content_type?: string;
  prompt?: string;
}

export async function listJobSamples({ ctx, id }: { ctx: ServiceContext; id: string }): Promise<JobSamples> {
  const ws = requireWorkspace(ctx);
  await getJobOrThrow(ctx.db, ws, id);
  const prefix = jobPrefix(ws, id);
  const rows = await ctx.db
    .select()
    .from(jobEvents)
    .where(and(eq(jobEvents.jobId, id), eq(jobEvents.type, 'sample')))
    .orderBy(asc(jobEvents.id));
  const driver = getStorage().driver;
  const data = [];
  for (const r of rows) {
    const p = r.payload as SamplePayload;
    if (typeof p.key !== 'string' || !p.key.startsWith(prefix) || typeof p.step !== 'number') continue;
    const signed = await driver.presignGet({ key: p.key, expiresInSeconds: SAMPLE_URL_TTL_SECONDS });
    data.push({
      event_id: r.id,
      attempt: r.attempt,
      step: p.step,
      prompt: p.prompt ?? null,
      content_type: p.content_type ?? 'application/octet-stream',
      url: signed.url,
      expires_at: signed.expiresAt.toISOString(),
    });
  }
  return { data };
}

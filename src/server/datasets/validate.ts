import { eq } from 'drizzle-orm';
import { recordAudit } from '@/server/audit/record';
import { buildQualityReport, collectItemFacts, type ItemFacts } from '@/server/datasets/images';
import { baseModels, loraDatasetItems, loraDatasets, type LoraDatasetItem } from '@/server/db/schema/index.ts';
import { ConflictError, PreconditionFailedError, ValidationError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getModelOrThrow } from '@/server/models/internal';
import { getStorage } from '@/server/storage';
import { getDatasetOrThrow, itemsOf, toDatasetView } from './internal.ts';
import { asCommitted, rejectedAtCommit, storedFactsOf } from './item-facts.ts';
import type { ValidateDatasetInput } from './schemas.ts';

const DEFAULT_IMAGE_BASE = 'flux-dev';

function itemColumns(f: ItemFacts, status: 'ok' | 'warn' | 'rejected', item: LoraDatasetItem) {
  const face = f.faces?.faces[0];
  // What commit recorded stays: a later validation starts from it again.
  const { source, commit_rejection } = storedFactsOf(item);
  return {
    status,
    width: f.facts?.width ?? null,
    height: f.facts?.height ?? null,
    phash: f.facts?.phash ?? null,
    faceCount: f.faces ? f.faces.faces.length : null,
    faceBox: face ? { x: face.box.x, y: face.box.y, w: face.box.width, h: face.box.height } : null,
    faceYaw: face?.yaw ?? null,
    facePitch: face?.pitch ?? null,
    faceRoll: face?.roll ?? null,
    faceEmbedding: face?.embedding ?? null,
    facts: { source, commit_rejection, facts: f.facts, rejection: f.rejection, face_quality: f.faceQuality, face_error: f.faceError },
  };
}

/**
 * Run the validation engine over the committed clean copies — the very images the training
 * archive holds, never the raw uploads (item-facts.ts) — and store the report: verdict
 * pass/warn → `ready`, block → `rejected` (training stays disabled in the API and the UI).
 */
export async function validateDataset({ ctx, input }: { ctx: ServiceContext; input: ValidateDatasetInput }) {
  const ws = requireWorkspace(ctx);
  const dataset = await getDatasetOrThrow(ctx.db, ws, input.dataset_id);
  if (dataset.modality !== 'image') throw new ValidationError('Text datasets are validated while they upload.');
  const items = await itemsOf(ctx.db, dataset.id);
  if (items.length === 0) throw new PreconditionFailedError(`Dataset ${dataset.id} has no committed photos yet: upload and commit first.`);
  const model = await getModelOrThrow(ctx.db, ws, dataset.loraModelId);
  const baseId = input.base_model ?? DEFAULT_IMAGE_BASE;
  const [base] = await ctx.db.select().from(baseModels).where(eq(baseModels.id, baseId));
  if (!base || base.modality !== 'image') throw new ValidationError(`"${baseId}" is not a trainable image base model (flux-dev, flux-schnell, sdxl-base-1.0).`);
  const kind = model.kind === 'chat' ? 'identity' : model.kind;
  const spec = { id: base.id, minResolution: base.minResolution ?? 512, recommendedResolution: base.recommendedResolution ?? 1024 };

  const { driver } = getStorage();
  const inputs = [];
  for (const i of items) if (i.normalizedKey) inputs.push({ id: i.id, filename: i.filename, bytes: new Uint8Array(await driver.getBytes(i.normalizedKey)) });
  const measured = new Map((await collectItemFacts(inputs, { kind, baseModel: spec })).map((f) => [f.id, f]));
  const facts = items.map((i) => (measured.has(i.id) ? asCommitted(measured.get(i.id)!, i) : rejectedAtCommit(i)));
  const byItem = new Map(items.map((i) => [i.id, i]));
  const report = buildQualityReport({ kind, items: facts, baseModel: spec });
  const byId = new Map(report.items.map((r) => [r.id, r.status]));

  return withTransaction(ctx, async (tx) => {
    const now = await getDatasetOrThrow(tx.db, ws, dataset.id, { forUpdate: true });
    if (now.committedAt?.getTime() !== dataset.committedAt?.getTime()) {
      throw new ConflictError('Photos were added while validating; validate again to include them.');
    }
    for (const f of facts) await tx.db.update(loraDatasetItems).set(itemColumns(f, byId.get(f.id) ?? 'ok', byItem.get(f.id)!)).where(eq(loraDatasetItems.id, f.id));
    const [row] = await tx.db
      .update(loraDatasets)
      .set({
        status: report.verdict === 'block' ? 'rejected' : 'ready',
        verdict: report.verdict,
        qualityReportJson: report as unknown as Record<string, unknown>,
        validatedAt: new Date(),
        updatedAt: new Date(),
      })
      .where(eq(loraDatasets.id, dataset.id))
      .returning();
    await recordAudit(tx, { action: 'dataset.validate', targetType: 'lora_dataset', targetId: dataset.id, metadata: { verdict: report.verdict, base_model: base.id } });
    return toDatasetView(row!, await itemsOf(tx.db, dataset.id));
  });
}

import { recordAudit } from '@/server/audit/record';
import { NotFoundError, PreconditionFailedError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { sanitizeFilename } from '@/server/storage/keys';
import { getStorage } from '@/server/storage';
import { versionFiles, type StoredFile } from './files.ts';
import { artifactStem, getVersionOrThrow } from './internal.ts';
import type { DownloadInput, DownloadLink } from './schemas.ts';
import { assertStoredAsRecorded, checkedGet } from './stored.ts';

/** Long enough to start a multi-GB download, short enough that a leaked link soon dies. */
export const DOWNLOAD_TTL_SECONDS = 5 * 60;

/** A short-lived signed URL to a ready version's weights (or one of its other files, by name), audited. */
export async function downloadVersion({ ctx, id, input }: { ctx: ServiceContext; id: string; input: DownloadInput }): Promise<DownloadLink> {
  const ws = requireWorkspace(ctx);
  const { version: v, model, base } = await getVersionOrThrow(ctx.db, ws, id);
  if (v.status !== 'ready' || !v.artifactKey) {
    throw new PreconditionFailedError(`Version ${v.number} is ${v.status}; only a ready version has weights to download.`, { status: v.status });
  }
  const stem = artifactStem(model.name, v.number);
  const [weights, ...extras] = versionFiles(v, model, base);
  let target: StoredFile & { filename: string };
  if (input.file && input.file !== weights!.name) {
    const f = extras.find((x) => x.name === input.file);
    if (!f) throw new NotFoundError(`File "${input.file}" of version`, v.id);
    target = { ...f, filename: `${stem}-${sanitizeFilename(f.name)}` };
  } else {
    target = { ...weights!, filename: `${stem}.safetensors` };
  }
  await assertStoredAsRecorded(v.id, target);
  const signed = await getStorage().driver.presignGet({ key: target.key, expiresInSeconds: DOWNLOAD_TTL_SECONDS, downloadName: target.filename, ...checkedGet(target) });
  // The link is the download: audit it before it is handed out, in its own transaction.
  await withTransaction(ctx, (tx) =>
    recordAudit(tx, {
      action: 'artifact.download',
      targetType: 'lora_version',
      targetId: v.id,
      metadata: { model_id: model.id, number: v.number, file: input.file ?? null, sha256: target.sha256 },
    }),
  );
  return { url: signed.url, expires_at: signed.expiresAt.toISOString(), filename: target.filename, bytes: target.bytes, sha256: target.sha256 };
}

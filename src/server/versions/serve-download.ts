import { recordAudit } from '@/server/audit/record';
import { NotFoundError, PreconditionFailedError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { getStorage } from '@/server/storage';
import { assertKeyInWorkspace } from '@/server/storage/keys';
import { attachmentDisposition } from '@/server/storage/limits';
import { DOWNLOAD_TTL_SECONDS } from './download.ts';
import { folderName, isText, versionFiles } from './files.ts';
import { getVersionOrThrow } from './internal.ts';
import type { DownloadQuery } from './schemas.ts';
import { renderReadme } from './serving.ts';
import { assertStoredAsRecorded, checkedGet } from './stored.ts';
import { servingFor } from './view.ts';
import { streamFilesZip } from './zip.ts';

/** `?file=all`. No recorded file can be called that: companion names come from a fixed list (jobs/spec.ts). */
export const ALL_FILES = 'all';

/**
 * GET download of a ready version: one file by its recorded name → 302 to a short-lived signed
 * URL; `all` → a zip of every file plus README.txt, streamed from storage. Only names in the
 * version's file list resolve (anything else, `../x` included, is 404); keys come from the row,
 * never from the request. Each download is audited as artifact.download before it starts.
 */
export async function serveVersionDownload({ ctx, id, input }: { ctx: ServiceContext; id: string; input: DownloadQuery }): Promise<Response> {
  const ws = requireWorkspace(ctx);
  const row = await getVersionOrThrow(ctx.db, ws, id);
  const { version: v, model, base } = row;
  if (v.status !== 'ready' || !v.artifactKey) {
    throw new PreconditionFailedError(`Version ${v.number} is ${v.status}; only a ready version has files to download.`, { status: v.status });
  }
  const files = versionFiles(v, model, base);
  for (const f of files) assertKeyInWorkspace(f.key, ws);
  const audit = (metadata: Record<string, unknown>) =>
    withTransaction(ctx, (tx) => recordAudit(tx, { action: 'artifact.download', targetType: 'lora_version', targetId: v.id, metadata: { model_id: model.id, number: v.number, ...metadata } }));
  const folder = folderName(model, v, base);

  if (input.file === ALL_FILES) {
    // Fail before the 200 goes out: a missing or resized object would otherwise cut the zip short.
    // Same-size changes are caught while streaming (the entry's sha256), which aborts the zip.
    for (const f of files) await assertStoredAsRecorded(v.id, f);
    const readme = renderReadme({
      title: `${model.name} v${v.number}`,
      folder,
      baseModel: isText(base) ? `${base.name} (${base.hfRepo ?? base.id})` : base.name,
      files: files.map((f) => ({ name: f.name, bytes: f.bytes, sha256: f.sha256 })),
      serving: servingFor(row),
    });
    await audit({ file: ALL_FILES, files: files.map((f) => f.name), sha256: v.checksum });
    const zip = streamFilesZip(folder, files, readme, (err) => ctx.log.error({ err, versionId: v.id }, 'version zip aborted: a stored file does not match its record'));
    return new Response(zip.body, {
      status: 200,
      headers: {
        'content-type': 'application/zip',
        'content-disposition': attachmentDisposition(`${folder}.zip`),
        'cache-control': 'private, no-store',
        ...(zip.bytes !== null ? { 'content-length': String(zip.bytes) } : {}),
      },
    });
  }

  const f = input.file === undefined ? files[0] : files.find((x) => x.name === input.file);
  if (!f) throw new NotFoundError(`File "${input.file}" of version`, v.id);
  // Text files keep their PEFT names (loaders look for exactly these); image weights are `{model}-v{n}.safetensors`.
  await assertStoredAsRecorded(v.id, f);
  const signed = await getStorage().driver.presignGet({ key: f.key, expiresInSeconds: DOWNLOAD_TTL_SECONDS, downloadName: f.name, ...checkedGet(f) });
  await audit({ file: f.name, sha256: f.sha256 });
  return new Response(null, { status: 302, headers: { location: signed.url, 'cache-control': 'private, no-store' } });
}

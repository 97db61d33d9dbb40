import { recordAudit } from '@/server/audit/record';
import { compileForCaller } from '@/server/compile/compile';
import { buildZip, type ArchiveEntry } from '@/server/datasets/archive';
import { PreconditionFailedError, ValidationError } from '@/server/errors';
import { requireWorkspace, withTransaction, type ServiceContext } from '@/server/http/context';
import { renderCharacterPackReadme, stableJson } from '@/server/prompts';
import { getStorage } from '@/server/storage';
import { characterPackKey } from '@/server/storage/keys';
import { artifactStem } from '@/server/versions/internal';
import { renderPackImages } from './images.ts';
import type { PackInput, PackLink, PackManifest } from './schemas.ts';

export const PACK_TTL_SECONDS = 5 * 60;

/**
 * Build a Character Pack zip — manifest.json, prompt.txt, negative_prompt.txt (when there is
 * one), README.md and the reference photos re-encoded without metadata — store it under the
 * version's packs and return a short-lived signed link. The manifest lists exactly the
 * images written to the zip, because both come from the same list.
 */
export async function exportCharacterPack({ ctx, input }: { ctx: ServiceContext; input: PackInput }): Promise<PackLink> {
  const ws = requireWorkspace(ctx);
  const { result, profile, active, references } = await compileForCaller({ ctx, input });
  const pack = result.character_pack;
  if (!pack) {
    throw new ValidationError(`${profile.name} loads the LoRA itself; Character Packs are for platforms that cannot (Sora, Veo, Grok).`, [
      { path: 'profile', message: 'not a Character Pack platform' },
    ]);
  }
  if (!active) throw new PreconditionFailedError('Activate a ready version first: a Character Pack carries the reference photos of your active LoRA.');

  const images = await renderPackImages(references);
  const manifest: PackManifest = {
    schema_version: 1,
    kind: 'character_pack',
    platform: pack.platform,
    lora: { model_id: active.model.id, model_name: active.model.name, version_id: active.version.id, version_number: active.version.number },
    files: { prompt: 'prompt.txt', negative_prompt: pack.negative_prompt ? 'negative_prompt.txt' : null, readme: 'README.md' },
    images: images.map(({ data: _data, ...meta }) => meta),
    recommended_params: pack.recommended_params,
    notes: pack.notes,
  };
  const entries: ArchiveEntry[] = [
    { name: 'manifest.json', data: Buffer.from(stableJson(manifest)) },
    { name: 'prompt.txt', data: Buffer.from(`${pack.final_prompt}\n`) },
    ...(pack.negative_prompt ? [{ name: 'negative_prompt.txt', data: Buffer.from(`${pack.negative_prompt}\n`) }] : []),
    { name: 'README.md', data: Buffer.from(renderCharacterPackReadme(pack, images.map((i) => i.file))) },
    ...images.map((i) => ({ name: i.file, data: i.data })),
  ];
  const zip = await buildZip(entries);
  const { driver } = getStorage();
  const key = characterPackKey({ workspaceId: ws, modelId: active.model.id, versionId: active.version.id, platform: profile.id });
  await driver.putStream(key, zip.bytes, { contentType: 'application/zip', maxBytes: zip.bytes.length });
  const filename = `character-pack-${profile.id}-${artifactStem(active.model.name, active.version.number)}.zip`;
  const signed = await driver.presignGet({ key, expiresInSeconds: PACK_TTL_SECONDS, downloadName: filename });
  // The zip holds face photos: handing out its link is audited like any artifact download.
  await withTransaction(ctx, (tx) =>
    recordAudit(tx, {
      action: 'pack.export',
      targetType: 'lora_version',
      targetId: active.version.id,
      metadata: { platform: profile.id, images: images.length, sha256: zip.sha256, bytes: zip.bytes.length },
    }),
  );
  return { url: signed.url, expires_at: signed.expiresAt.toISOString(), filename, bytes: zip.bytes.length, sha256: zip.sha256, manifest, warnings: result.warnings };
}

import type { LoraDatasetItem, LoraModel } from '@/server/db/schema/index.ts';
import { getStorage } from '@/server/storage';
import { datasetArchiveKey } from '@/server/storage/keys';
import { buildZip, captionFor, datasetHashOf, type ArchiveEntry } from './archive.ts';

/**
 * The training archive: every item's EXIF-free normalized JPEG plus a kohya-style caption
 * file. Content-addressed (its key carries the dataset hash) so a failed commit leaves the
 * previous archive untouched. Rejected items (no normalized copy) are left out.
 */
export async function rebuildArchive(ws: string, datasetId: string, items: LoraDatasetItem[], model: LoraModel, written: string[], currentKey: string | null) {
  const { driver } = getStorage();
  const entries: ArchiveEntry[] = [];
  const caption = Buffer.from(captionFor(model.kind, model.triggerWord) + '\n');
  for (const item of [...items].sort((a, b) => a.position - b.position)) {
    if (!item.normalizedKey) continue;
    const stem = `${String(item.position).padStart(3, '0')}_${item.id}`;
    entries.push({ name: `${stem}.jpg`, data: await driver.getBytes(item.normalizedKey) });
    entries.push({ name: `${stem}.txt`, data: caption });
  }
  const datasetHash = datasetHashOf(items.map((i) => i.sha256));
  const zip = await buildZip(entries);
  const key = datasetArchiveKey({ workspaceId: ws, datasetId, revision: zip.sha256.slice(0, 16) });
  if (key !== currentKey) written.push(key); // never clean up the archive that is still live
  await driver.putStream(key, zip.bytes, { contentType: 'application/zip', maxBytes: zip.bytes.length });
  return { key, sha256: zip.sha256, bytes: zip.bytes.length, datasetHash };
}

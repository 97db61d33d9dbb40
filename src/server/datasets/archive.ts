import { createHash } from 'node:crypto';
import yazl from 'yazl';

export interface ArchiveEntry {
  name: string;
  data: Buffer;
}

// Fixed timestamps and order: the same images give byte-identical archives.
const EPOCH = new Date('2020-01-01T00:00:00Z');

/** A zip of the training images and their captions, in memory (image sets are ≤ a few hundred MB). */
export async function buildZip(entries: ArchiveEntry[]): Promise<{ bytes: Buffer; sha256: string }> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name, { mtime: EPOCH, mode: 0o100644, compress: !e.name.endsWith('.jpg') });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  const bytes = Buffer.concat(chunks);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** sha256 over the sorted item hashes: identical sets hash the same, whatever the upload order. */
export function datasetHashOf(itemHashes: string[]): string {
  return createHash('sha256').update([...itemHashes].sort().join('\n')).digest('hex');
}

export function captionFor(kind: string, trigger: string | null): string {
  const t = trigger ?? 'subject';
  switch (kind) {
    case 'identity':
      return `${t}, a photo of a person`;
    case 'style':
      return `an image in the style of ${t}`;
    case 'product':
      return `a photo of ${t}, a product`;
    default:
      return t;
  }
}

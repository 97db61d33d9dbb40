// Upload one conversation file (JSONL or a JSON array, up to 10 GB) straight to storage:
// init → a signed PUT, or signed multipart parts sent three at a time → commit with the
// sha256 and the parts' ETags. The checksum is computed incrementally over 8 MiB slices
// (never the whole file in memory) while the parts upload; the server re-hashes the stored
// object during validation and fails the dataset if they differ.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { apiJson } from '@/components/datasets/api';
import { putWithProgress } from '@/components/datasets/xhr-put';
import type { DatasetView } from '@/components/datasets/types';

export const TEXT_FILE_ACCEPT = '.jsonl,.json,.ndjson,application/json,application/jsonl,application/x-ndjson';
const HASH_SLICE = 8 * 1024 * 1024;
const PART_CONCURRENCY = 3;
/** From this size the file goes up in parallel parts (the server splits at 64 MiB regardless). */
const MULTIPART_FROM = 16 * 1024 * 1024;
const MAX_BYTES = 10 * 1024 ** 3;

interface SignedPart {
  part_number: number;
  bytes: number;
  url: string;
  headers: Record<string, string>;
}

export interface TextUploadTarget {
  upload_id: string;
  key: string;
  filename: string;
  url?: string;
  headers?: Record<string, string>;
  multipart?: { upload_id: string; part_size: number; parts: SignedPart[] };
}

interface InitResult {
  dataset_id: string;
  uploads: TextUploadTarget[];
}

export interface UploadProgress {
  phase: 'init' | 'upload' | 'commit';
  /** Bytes stored so far (parts in flight count their sent bytes). */
  uploaded: number;
  /** Bytes hashed so far. */
  hashed: number;
  total: number;
  /** Number of parts, 1 for a single PUT. */
  parts: number;
  datasetId: string | null;
}

/** Refused before anything is sent; null when the file looks like a conversation file. */
export function refuseTextFile(file: { name: string; size: number }): string | null {
  if (!/\.(jsonl|json|ndjson)$/i.test(file.name)) return `${file.name} is not a .jsonl or .json file. Export your conversations as JSON Lines (one conversation per line) or a JSON array.`;
  if (file.size === 0) return `${file.name} is empty.`;
  if (file.size > MAX_BYTES) return `${file.name} is larger than 10 GB; split it into several files.`;
  return null;
}

const contentTypeOf = (file: File) => file.type || (/\.json$/i.test(file.name) ? 'application/json' : 'application/jsonl');

async function hashFile(file: Blob, onBytes: (n: number) => void, signal: AbortSignal): Promise<string> {
  const h = sha256.create();
  for (let offset = 0; offset < file.size; offset += HASH_SLICE) {
    if (signal.aborted) throw new Error('The upload was cancelled.');
    const end = Math.min(file.size, offset + HASH_SLICE);
    h.update(new Uint8Array(await file.slice(offset, end).arrayBuffer()));
    onBytes(end);
  }
  return bytesToHex(h.digest());
}

async function uploadParts(file: Blob, target: NonNullable<TextUploadTarget['multipart']>, onSent: (partNumber: number, bytes: number) => void, signal: AbortSignal) {
  const etags: { part_number: number; etag: string }[] = [];
  let next = 0;
  const lane = async () => {
    while (next < target.parts.length) {
      const part = target.parts[next++]!;
      const start = (part.part_number - 1) * target.part_size;
      const etag = await putWithProgress(part, file.slice(start, start + part.bytes), (n) => onSent(part.part_number, n), signal);
      if (!etag) throw new Error('Storage did not return an ETag for a part. If you use S3 or R2, expose the ETag header in the bucket CORS rules.');
      etags.push({ part_number: part.part_number, etag });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PART_CONCURRENCY, target.parts.length) }, lane));
  return etags.sort((a, b) => a.part_number - b.part_number);
}

export async function uploadTextDataset(o: {
  file: File;
  modelId: string;
  baseModel: string;
  signal: AbortSignal;
  onProgress: (p: UploadProgress) => void;
}): Promise<DatasetView> {
  const { file, signal } = o;
  const p: UploadProgress = { phase: 'init', uploaded: 0, hashed: 0, total: file.size, parts: 1, datasetId: null };
  const report = () => o.onProgress({ ...p });
  report();
  const init = await apiJson<InitResult>('/api/lora/datasets/init', {
    method: 'POST',
    json: {
      model_id: o.modelId,
      base_model: o.baseModel,
      files: [{ name: file.name, size: file.size, content_type: contentTypeOf(file) }],
      multipart: file.size >= MULTIPART_FROM,
    },
    signal,
  });
  const target = init.uploads[0]!;
  p.phase = 'upload';
  p.datasetId = init.dataset_id;
  p.parts = target.multipart?.parts.length ?? 1;
  report();

  const sent = new Map<number, number>();
  const onSent = (part: number, n: number) => {
    sent.set(part, n);
    p.uploaded = [...sent.values()].reduce((a, b) => a + b, 0);
    report();
  };
  const hashing = hashFile(
    file,
    (n) => {
      p.hashed = n;
      report();
    },
    signal,
  );
  let parts: { part_number: number; etag: string }[] | undefined;
  if (target.multipart) parts = await uploadParts(file, target.multipart, onSent, signal);
  else await putWithProgress({ url: target.url!, headers: target.headers ?? {} }, file, (n) => onSent(1, n), signal);
  const digest = await hashing;

  p.phase = 'commit';
  report();
  return apiJson<DatasetView>('/api/lora/datasets/commit', {
    method: 'POST',
    json: { dataset_id: init.dataset_id, files: [{ key: target.key, sha256: digest, ...(parts ? { parts } : {}) }] },
    signal,
  });
}

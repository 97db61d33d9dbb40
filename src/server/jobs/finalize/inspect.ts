// Reads what a stored LoRA file is without loading it: its sha256 and size in one streaming
// pass, then its safetensors header from the first bytes, then (with a few tiny range reads)
// the values of some `.alpha` tensors, which live in the data, not the header.
import { createHash } from 'node:crypto';
import {
  bfloat16ToFloat,
  detectLoraFormat,
  halfToFloat,
  readSafetensorsHeaderFromStream,
  type DetectedLora,
  type SafetensorsHeader,
} from '@lora-studio/protocol';
import { getStorage } from '@/server/storage';
import { JOB_CONFIG } from '../config.ts';

export async function hashStoredObject(key: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of await getStorage().driver.getStream(key)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

const MAX_ALPHA_READS = 16;

function scalar(bytes: Buffer, dtype: string): number | undefined {
  if (dtype === 'F32' && bytes.length >= 4) return bytes.readFloatLE(0);
  if (dtype === 'F16' && bytes.length >= 2) return halfToFloat(bytes.readUInt16LE(0));
  if (dtype === 'BF16' && bytes.length >= 2) return bfloat16ToFloat(bytes.readUInt16LE(0));
  if (dtype === 'F64' && bytes.length >= 8) return bytes.readDoubleLE(0);
  return undefined;
}

async function readAlphas(key: string, header: SafetensorsHeader): Promise<Map<string, number>> {
  const names = Object.keys(header.tensors).filter((n) => n.endsWith('.alpha')).slice(0, MAX_ALPHA_READS);
  const out = new Map<string, number>();
  for (const name of names) {
    const t = header.tensors[name]!;
    const [begin, end] = t.dataOffsets;
    if (end <= begin) continue;
    const chunks: Buffer[] = [];
    const stream = await getStorage().driver.getStream(key, { start: header.dataOffset + begin, end: header.dataOffset + end - 1 });
    for await (const c of stream) chunks.push(c as Buffer);
    const v = scalar(Buffer.concat(chunks), t.dtype);
    if (v !== undefined && Number.isFinite(v)) out.set(name, v);
  }
  return out;
}

export interface Inspected {
  header: SafetensorsHeader;
  detected: DetectedLora;
}

/** Throws SafetensorsError when the file is not a well-formed safetensors file of `size` bytes. */
export async function inspectLoraFile(key: string, size: number, adapterConfig?: Record<string, unknown>): Promise<Inspected> {
  const stream = await getStorage().driver.getStream(key);
  const header = await readSafetensorsHeaderFromStream(stream as AsyncIterable<Uint8Array>, { fileSize: size, maxHeaderBytes: JOB_CONFIG.maxSafetensorsHeaderBytes });
  const alphas = await readAlphas(key, header);
  const detected = detectLoraFormat(header, {
    readTensor: (name) => (alphas.has(name) ? Float32Array.of(alphas.get(name)!) : new Float32Array(0)),
    ...(adapterConfig ? { adapterConfig } : {}),
  });
  return { header, detected };
}

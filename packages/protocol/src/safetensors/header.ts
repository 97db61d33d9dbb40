// Strict reader for the safetensors header: 8-byte little-endian length N, then N bytes of
// UTF-8 JSON (optionally space-padded), then the data buffer. Every tensor must be a known
// dtype whose [begin, end) covers exactly shape×dtype bytes, and the tensors must tile the
// data buffer from 0 with no gap or overlap — the same rules as the reference implementation,
// so anything accepted here loads in `safetensors` itself.
import { isSafetensorsDtype, SAFETENSORS_DTYPE_BYTES, type SafetensorsDtype } from './dtype.ts';
import { SafetensorsError } from './errors.ts';

/** Largest header we accept. Real LoRA headers are well under 1 MB; this bounds memory. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100 * 1024 * 1024;

export interface SafetensorsTensorInfo {
  dtype: SafetensorsDtype;
  shape: number[];
  /** [begin, end) relative to the start of the data buffer. */
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  /** N: length of the JSON header in bytes (padding included). */
  headerBytes: number;
  /** Where the data buffer starts in the file: 8 + N. */
  dataOffset: number;
  /** Size of the data buffer the tensors cover; the whole file is dataOffset + dataBytes. */
  dataBytes: number;
  tensors: Record<string, SafetensorsTensorInfo>;
  metadata: Record<string, string>;
}

export interface ParseHeaderOptions {
  /** Cap on N (default and maximum: 100 MB). */
  maxHeaderBytes?: number;
  /**
   * Total size of the file. Defaults to `bytes.length` (the whole file was passed). When only
   * the first bytes are at hand, pass the real size, or `null` to skip the end-of-file check.
   */
  fileSize?: number | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Header length N from the first 8 bytes, checked against the cap (no JSON read yet). */
export function readSafetensorsHeaderLength(bytes: Uint8Array, maxHeaderBytes = MAX_SAFETENSORS_HEADER_BYTES): number {
  if (bytes.length < 8) throw new SafetensorsError('truncated', `file too short: ${bytes.length} bytes, the 8-byte header length is missing`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  const cap = Math.min(maxHeaderBytes, MAX_SAFETENSORS_HEADER_BYTES);
  if (n > BigInt(cap)) throw new SafetensorsError('header_too_large', `header length ${n} exceeds the ${cap}-byte limit`);
  if (n < 2n) throw new SafetensorsError('invalid_header', `header length ${n} is too small for a JSON object`);
  return Number(n);
}

export function parseSafetensorsHeader(bytes: Uint8Array, opts: ParseHeaderOptions = {}): SafetensorsHeader {
  const n = readSafetensorsHeaderLength(bytes, opts.maxHeaderBytes);
  if (bytes.length < 8 + n) {
    throw new SafetensorsError('truncated', `header says ${n} bytes of JSON but only ${bytes.length - 8} follow`);
  }
  const json = decodeJson(bytes.subarray(8, 8 + n));
  const { tensors, metadata } = readEntries(json);
  const dataBytes = checkOffsets(tensors);
  const fileSize = opts.fileSize === undefined ? bytes.length : opts.fileSize;
  if (fileSize !== null && fileSize !== 8 + n + dataBytes) {
    throw new SafetensorsError(
      'invalid_offsets',
      `the tensors cover ${dataBytes} data bytes but the file has ${fileSize - 8 - n} after the header`,
    );
  }
  return { headerBytes: n, dataOffset: 8 + n, dataBytes, tensors, metadata };
}

function decodeJson(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new SafetensorsError('invalid_header', 'header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw new SafetensorsError('invalid_header', 'header does not start with "{"');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError('invalid_header', `header is not valid JSON (${(err as Error).message})`);
  }
  if (!isPlainObject(parsed)) throw new SafetensorsError('invalid_header', 'header is not a JSON object');
  return parsed;
}

function readEntries(json: Record<string, unknown>): Pick<SafetensorsHeader, 'tensors' | 'metadata'> {
  const tensors: [string, SafetensorsTensorInfo][] = [];
  let metadata: [string, string][] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') metadata = readMetadata(value);
    else tensors.push([name, readTensor(name, value)]);
  }
  // fromEntries defines own properties, so a tensor named "__proto__" stays an ordinary key.
  return { tensors: Object.fromEntries(tensors), metadata: Object.fromEntries(metadata) };
}

function readMetadata(value: unknown): [string, string][] {
  if (value === null) return [];
  if (!isPlainObject(value)) throw new SafetensorsError('invalid_metadata', '__metadata__ must be an object of strings');
  return Object.entries(value).map(([k, v]) => {
    if (typeof v !== 'string') {
      throw new SafetensorsError('invalid_metadata', `__metadata__["${k}"] must be a string, got ${describe(v)}`);
    }
    return [k, v];
  });
}

function readTensor(name: string, value: unknown): SafetensorsTensorInfo {
  const bad = (what: string) => new SafetensorsError('invalid_tensor', `tensor "${name}": ${what}`);
  if (!isPlainObject(value)) throw bad('entry must be an object');
  const { dtype, shape, data_offsets: offsets } = value;
  if (typeof dtype !== 'string') throw bad('dtype must be a string');
  if (!isSafetensorsDtype(dtype)) throw new SafetensorsError('unknown_dtype', `tensor "${name}": unknown dtype "${dtype}"`);
  if (!Array.isArray(shape) || !shape.every(isCount)) throw bad('shape must be an array of non-negative integers');
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
    throw bad('data_offsets must be [begin, end] non-negative integers');
  }
  const [begin, end] = offsets as [number, number];
  if (end < begin) throw new SafetensorsError('invalid_offsets', `tensor "${name}": data_offsets end ${end} < begin ${begin}`);
  const elements = shape.reduce((a: number, d: number) => a * d, 1);
  const expected = elements * SAFETENSORS_DTYPE_BYTES[dtype];
  if (!Number.isSafeInteger(expected)) throw bad('shape is too large');
  if (end - begin !== expected) {
    throw new SafetensorsError(
      'invalid_offsets',
      `tensor "${name}": ${dtype}[${shape.join(', ')}] needs ${expected} bytes but data_offsets span ${end - begin}`,
    );
  }
  return { dtype, shape: [...shape] as number[], dataOffsets: [begin, end] };
}

/** The tensors must tile [0, dataBytes) exactly; returns dataBytes. */
function checkOffsets(tensors: Record<string, SafetensorsTensorInfo>): number {
  const sorted = Object.entries(tensors).sort(([, a], [, b]) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let cursor = 0;
  let previous = '(start of data)';
  for (const [name, { dataOffsets: [begin, end] }] of sorted) {
    if (begin < cursor) throw new SafetensorsError('invalid_offsets', `tensor "${name}" overlaps "${previous}" (begins at ${begin}, before ${cursor})`);
    if (begin > cursor) throw new SafetensorsError('invalid_offsets', `gap of ${begin - cursor} bytes before tensor "${name}" (at ${cursor})`);
    cursor = end;
    previous = name;
  }
  return cursor;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function describe(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}

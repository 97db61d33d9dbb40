// Deterministic writer: tensors sorted by name (header and data in the same order),
// metadata keys sorted, header space-padded to 8 bytes like the reference implementation.
// The same input always gives byte-identical output, so artifacts can be checksummed.
import { floatToHalf } from './dtype.ts';
import { SafetensorsError } from './errors.ts';

export interface EncodableTensor {
  /** Stored dtype; F16 rounds to nearest even. */
  dtype: 'F32' | 'F16';
  shape: number[];
  data: Float32Array;
}

export function encodeSafetensors(tensors: Record<string, EncodableTensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) {
    header.__metadata__ = Object.fromEntries(Object.keys(metadata).sort().map((k) => [k, metadata[k]]));
  }
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new SafetensorsError('invalid_tensor', '"__metadata__" cannot be a tensor name');
    const t = tensors[name]!;
    const elements = t.shape.reduce((a, d) => a * d, 1);
    if (!t.shape.every((d) => Number.isSafeInteger(d) && d >= 0) || elements !== t.data.length) {
      throw new SafetensorsError('invalid_tensor', `tensor "${name}": shape [${t.shape.join(', ')}] does not hold ${t.data.length} values`);
    }
    const bytes = elements * (t.dtype === 'F16' ? 2 : 4);
    Object.defineProperty(header, name, {
      value: { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] },
      enumerable: true,
    });
    offset += bytes;
  }
  let json = JSON.stringify(header);
  const utf8 = new TextEncoder();
  const rawLength = utf8.encode(json).length;
  json += ' '.repeat((8 - (rawLength % 8)) % 8);
  const headerBytes = utf8.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    if (t.dtype === 'F16') {
      for (const v of t.data) {
        view.setUint16(at, floatToHalf(v), true);
        at += 2;
      }
    } else {
      for (const v of t.data) {
        view.setFloat32(at, v, true);
        at += 4;
      }
    }
  }
  return out;
}

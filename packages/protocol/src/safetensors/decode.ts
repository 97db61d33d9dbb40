// Whole-file decoding: the parsed header plus typed access to each tensor's values.
import { bfloat16ToFloat, halfToFloat, SAFETENSORS_DTYPE_BYTES } from './dtype.ts';
import { SafetensorsError } from './errors.ts';
import { parseSafetensorsHeader, type ParseHeaderOptions, type SafetensorsHeader } from './header.ts';

const READERS = {
  F32: (v: DataView, at: number) => v.getFloat32(at, true),
  F16: (v: DataView, at: number) => halfToFloat(v.getUint16(at, true)),
  BF16: (v: DataView, at: number) => bfloat16ToFloat(v.getUint16(at, true)),
  F64: (v: DataView, at: number) => v.getFloat64(at, true),
} as const;

export interface DecodedSafetensors extends SafetensorsHeader {
  /** Tensor values as float32 (F32, F16, BF16 and F64 are converted); throws for other dtypes. */
  getTensor(name: string): Float32Array;
  /** The tensor's raw little-endian bytes (a view into the input, not a copy). */
  getTensorBytes(name: string): Uint8Array;
}

export function decodeSafetensors(bytes: Uint8Array, opts: Omit<ParseHeaderOptions, 'fileSize'> = {}): DecodedSafetensors {
  const header = parseSafetensorsHeader(bytes, { ...opts, fileSize: bytes.length });
  const info = (name: string) => {
    const t = Object.hasOwn(header.tensors, name) ? header.tensors[name] : undefined;
    if (!t) throw new SafetensorsError('no_such_tensor', `no tensor named "${name}"`);
    return t;
  };
  const getTensorBytes = (name: string) => {
    const [begin, end] = info(name).dataOffsets;
    return bytes.subarray(header.dataOffset + begin, header.dataOffset + end);
  };
  const getTensor = (name: string) => {
    const { dtype, shape } = info(name);
    const read = Object.hasOwn(READERS, dtype) ? READERS[dtype as keyof typeof READERS] : undefined;
    if (!read) throw new SafetensorsError('unsupported_dtype', `tensor "${name}" is ${dtype}, not a floating-point dtype`);
    const raw = getTensorBytes(name);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float32Array(shape.reduce((a, d) => a * d, 1));
    const width = SAFETENSORS_DTYPE_BYTES[dtype];
    for (let i = 0; i < out.length; i++) out[i] = read(view, i * width);
    return out;
  };
  return { ...header, getTensor, getTensorBytes };
}

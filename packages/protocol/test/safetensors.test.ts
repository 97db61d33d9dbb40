import { describe, expect, it } from 'vitest';
import {
  bfloat16ToFloat,
  decodeSafetensors,
  encodeSafetensors,
  floatToHalf,
  halfToFloat,
  MAX_SAFETENSORS_HEADER_BYTES,
  parseSafetensorsHeader,
  readSafetensorsHeaderFromStream,
  SafetensorsError,
  type SafetensorsErrorCode,
} from '../src/safetensors.ts';

// Hand-built files: the 8-byte length, a JSON header (optionally raw text) and a data buffer.
function file(header: unknown, data: Uint8Array | number = 0): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const body = typeof data === 'number' ? new Uint8Array(data) : data;
  const out = new Uint8Array(8 + json.length + body.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(body, 8 + json.length);
  return out;
}

function codeOf(run: () => unknown): SafetensorsErrorCode | 'no error' {
  try {
    run();
    return 'no error';
  } catch (err) {
    if (err instanceof SafetensorsError) return err.code;
    throw err;
  }
}

const t = (dtype: string, shape: number[], begin: number, end: number) => ({ dtype, shape, data_offsets: [begin, end] });

async function* chunks(bytes: Uint8Array, size: number, seen: { pulled: number; closed: boolean }) {
  try {
    for (let at = 0; at < bytes.length; at += size) {
      seen.pulled += 1;
      yield bytes.subarray(at, at + size);
    }
  } finally {
    seen.closed = true;
  }
}

describe('encodeSafetensors → parse → decode', () => {
  const tensors = {
    'b.weight': { dtype: 'F32' as const, shape: [2, 3], data: Float32Array.of(1, -2.5, 3.25, 0, 1e-8, -7) },
    'a.alpha': { dtype: 'F32' as const, shape: [], data: Float32Array.of(8) },
    'c.half': { dtype: 'F16' as const, shape: [4], data: Float32Array.of(1, -0.5, 65504, 0.1) },
  };
  const bytes = encodeSafetensors(tensors, { z: 'last', a: 'first' });

  it('writes a sorted, space-padded header and tensors that tile the data buffer in name order', () => {
    const h = parseSafetensorsHeader(bytes);
    expect(h.headerBytes % 8).toBe(0);
    expect(Object.keys(h.tensors)).toEqual(['a.alpha', 'b.weight', 'c.half']);
    expect(h.tensors['a.alpha']).toEqual({ dtype: 'F32', shape: [], dataOffsets: [0, 4] });
    expect(h.tensors['b.weight']).toEqual({ dtype: 'F32', shape: [2, 3], dataOffsets: [4, 28] });
    expect(h.tensors['c.half']).toEqual({ dtype: 'F16', shape: [4], dataOffsets: [28, 36] });
    expect(h.metadata).toEqual({ a: 'first', z: 'last' });
    expect(Object.keys(h.metadata)).toEqual(['a', 'z']);
    expect(h.dataOffset).toBe(8 + h.headerBytes);
    expect(h.dataBytes).toBe(36);
    const json = new TextDecoder().decode(bytes.subarray(8, 8 + h.headerBytes));
    expect(json.startsWith('{"__metadata__":{"a":"first","z":"last"},"a.alpha":')).toBe(true);
  });

  it('is deterministic whatever the key order of its input', () => {
    const shuffled = { 'c.half': tensors['c.half'], 'a.alpha': tensors['a.alpha'], 'b.weight': tensors['b.weight'] };
    expect(Buffer.from(encodeSafetensors(shuffled, { a: 'first', z: 'last' })).equals(Buffer.from(bytes))).toBe(true);
  });

  it('decodes F32 exactly and F16 to the nearest half', () => {
    const d = decodeSafetensors(bytes);
    expect(Array.from(d.getTensor('b.weight'))).toEqual(Array.from(tensors['b.weight'].data));
    expect(Array.from(d.getTensor('a.alpha'))).toEqual([8]);
    const half = d.getTensor('c.half');
    expect(Array.from(half.subarray(0, 3))).toEqual([1, -0.5, 65504]);
    expect(half[3]).toBeCloseTo(0.0999755859375, 12); // 0.1 in binary16
    expect(d.getTensorBytes('a.alpha')).toEqual(new Uint8Array(new Float32Array([8]).buffer));
  });

  it('refuses a shape that does not hold the data, and "__metadata__" as a tensor name', () => {
    expect(codeOf(() => encodeSafetensors({ x: { dtype: 'F32', shape: [2, 2], data: new Float32Array(3) } }))).toBe('invalid_tensor');
    expect(codeOf(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [1], data: new Float32Array(1) } }))).toBe('invalid_tensor');
  });

  it('keeps a tensor literally named "__proto__" as an ordinary entry', () => {
    const parsed = decodeSafetensors(file('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', new Uint8Array(Float32Array.of(3).buffer)));
    expect(Object.keys(parsed.tensors)).toEqual(['__proto__']);
    expect(Array.from(parsed.getTensor('__proto__'))).toEqual([3]);
    const encoded = decodeSafetensors(encodeSafetensors(Object.fromEntries([['__proto__', { dtype: 'F32' as const, shape: [1], data: Float32Array.of(4) }]])));
    expect(Object.keys(encoded.tensors)).toEqual(['__proto__']);
    expect(Array.from(encoded.getTensor('__proto__'))).toEqual([4]);
  });
});

describe('decodeSafetensors', () => {
  it('converts BF16 and F64, and refuses integer tensors and unknown names', () => {
    const data = new Uint8Array(2 * 2 + 8 + 8);
    const v = new DataView(data.buffer);
    v.setUint16(0, 0x3fc0, true); // 1.5
    v.setUint16(2, 0xc100, true); // -8
    v.setFloat64(4, 0.25, true);
    v.setBigInt64(12, 7n, true);
    const d = decodeSafetensors(file({ bf: t('BF16', [2], 0, 4), f64: t('F64', [1], 4, 12), i: t('I64', [1], 12, 20) }, data));
    expect(Array.from(d.getTensor('bf'))).toEqual([1.5, -8]);
    expect(Array.from(d.getTensor('f64'))).toEqual([0.25]);
    expect(codeOf(() => d.getTensor('i'))).toBe('unsupported_dtype');
    expect(codeOf(() => d.getTensor('missing'))).toBe('no_such_tensor');
    expect(codeOf(() => d.getTensor('toString'))).toBe('no_such_tensor');
  });
});

describe('parseSafetensorsHeader: malformed files', () => {
  const ok = { w: t('F32', [2], 0, 8) };
  const cases: [string, () => Uint8Array, SafetensorsErrorCode][] = [
    ['fewer than 8 bytes', () => new Uint8Array(5), 'truncated'],
    ['N beyond the 100 MB cap', () => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, BigInt(MAX_SAFETENSORS_HEADER_BYTES + 1), true); return b; }, 'header_too_large'],
    ['N = 2^63', () => { const b = new Uint8Array(16); new DataView(b.buffer).setBigUint64(0, 1n << 63n, true); return b; }, 'header_too_large'],
    ['N past the end of the bytes', () => file(ok, 8).subarray(0, 20), 'truncated'],
    ['N too small for an object', () => file('{', 0), 'invalid_header'],
    ['header not UTF-8', () => { const b = file('{"a":1}'); b[10] = 0xff; return b; }, 'invalid_header'],
    ['header not starting with {', () => file(' {}'), 'invalid_header'],
    ['header not JSON', () => file('{"w": '), 'invalid_header'],
    ['header a JSON array', () => file('[1,2]'), 'invalid_header'],
    ['tensor entry not an object', () => file({ w: 3 }), 'invalid_tensor'],
    ['dtype missing', () => file({ w: { shape: [1], data_offsets: [0, 4] } }, 4), 'invalid_tensor'],
    ['unknown dtype', () => file({ w: t('F17', [1], 0, 4) }, 4), 'unknown_dtype'],
    ['negative dimension', () => file({ w: t('F32', [-1], 0, 4) }, 4), 'invalid_tensor'],
    ['fractional dimension', () => file({ w: t('F32', [1.5], 0, 4) }, 4), 'invalid_tensor'],
    ['data_offsets of length 3', () => file({ w: { dtype: 'F32', shape: [1], data_offsets: [0, 4, 8] } }, 4), 'invalid_tensor'],
    ['end before begin', () => file({ w: t('F32', [0], 4, 0) }, 4), 'invalid_offsets'],
    ['span not shape × dtype', () => file({ w: t('F32', [3], 0, 8) }, 8), 'invalid_offsets'],
    ['overlapping tensors', () => file({ a: t('F32', [2], 0, 8), b: t('F32', [2], 4, 12) }, 12), 'invalid_offsets'],
    ['a gap between tensors', () => file({ a: t('F32', [1], 0, 4), b: t('F32', [1], 8, 12) }, 12), 'invalid_offsets'],
    ['data not starting at 0', () => file({ a: t('F32', [1], 4, 8) }, 8), 'invalid_offsets'],
    ['tensors past the end of the file', () => file(ok, 4), 'invalid_offsets'],
    ['trailing bytes after the data', () => file(ok, 12), 'invalid_offsets'],
    ['metadata not an object', () => file({ __metadata__: ['x'], ...ok }, 8), 'invalid_metadata'],
    ['metadata value not a string', () => file({ __metadata__: { ss_network_dim: 4 }, ...ok }, 8), 'invalid_metadata'],
  ];
  it.each(cases)('rejects %s', (_name, make, code) => {
    expect(codeOf(() => parseSafetensorsHeader(make()))).toBe(code);
  });

  it('names the tensor and the problem in the message', () => {
    expect(() => parseSafetensorsHeader(file({ 'lora_unet_x.alpha': t('F32', [3], 0, 8) }, 8))).toThrow(
      'tensor "lora_unet_x.alpha": F32[3] needs 12 bytes but data_offsets span 8',
    );
    expect(() => parseSafetensorsHeader(file({ __metadata__: { ss_network_dim: 4 } }))).toThrow('__metadata__["ss_network_dim"] must be a string, got number');
  });

  it('honours a lower header cap', () => {
    expect(codeOf(() => parseSafetensorsHeader(file(ok, 8), { maxHeaderBytes: 10 }))).toBe('header_too_large');
    expect(codeOf(() => parseSafetensorsHeader(file(ok, 8), { maxHeaderBytes: 10 * 1024 ** 3 }))).toBe('no error');
  });

  it('accepts space padding, null metadata, zero-sized tensors and an empty file', () => {
    expect(parseSafetensorsHeader(file(`${JSON.stringify(ok)}     `, 8)).tensors.w?.shape).toEqual([2]);
    expect(parseSafetensorsHeader(file({ __metadata__: null, ...ok }, 8)).metadata).toEqual({});
    expect(parseSafetensorsHeader(file({ e: t('F32', [0, 5], 0, 0), ...ok }, 8)).dataBytes).toBe(8);
    expect(parseSafetensorsHeader(file({})).tensors).toEqual({});
  });

  it('reads the header from the first bytes only, given the file size (or null to skip that check)', () => {
    const whole = file(ok, 8);
    const head = whole.subarray(0, whole.length - 8);
    expect(parseSafetensorsHeader(head, { fileSize: whole.length }).dataBytes).toBe(8);
    expect(parseSafetensorsHeader(head, { fileSize: null }).dataOffset).toBe(head.length);
    expect(codeOf(() => parseSafetensorsHeader(head))).toBe('invalid_offsets');
    expect(codeOf(() => parseSafetensorsHeader(head, { fileSize: whole.length + 1 }))).toBe('invalid_offsets');
  });
});

describe('readSafetensorsHeaderFromStream', () => {
  const big = encodeSafetensors({ w: { dtype: 'F32', shape: [64, 64], data: new Float32Array(4096).fill(0.5) } }, { format: 'pt' });

  it.each([1, 3, 7, 64, 1 << 20])('parses the header from %i-byte chunks and stops reading once it has it', async (size) => {
    const seen = { pulled: 0, closed: false };
    const h = await readSafetensorsHeaderFromStream(chunks(big, size, seen), { fileSize: big.length });
    expect(h.tensors.w).toEqual({ dtype: 'F32', shape: [64, 64], dataOffsets: [0, 16384] });
    expect(h.metadata).toEqual({ format: 'pt' });
    expect(seen.closed).toBe(true);
    expect(seen.pulled).toBeLessThanOrEqual(Math.ceil((h.dataOffset + size) / size));
  });

  it('fails on a stream that ends inside the header, and on a header past the cap', async () => {
    const seen = { pulled: 0, closed: false };
    await expect(readSafetensorsHeaderFromStream(chunks(big.subarray(0, 20), 4, seen))).rejects.toMatchObject({ code: 'truncated' });
    await expect(readSafetensorsHeaderFromStream(chunks(big.subarray(0, 6), 4, seen))).rejects.toMatchObject({ code: 'truncated' });
    await expect(readSafetensorsHeaderFromStream(chunks(big, 4, seen), { maxHeaderBytes: 16 })).rejects.toMatchObject({ code: 'header_too_large' });
  });

  it('checks the end of the file when told its size', async () => {
    const seen = { pulled: 0, closed: false };
    await expect(readSafetensorsHeaderFromStream(chunks(big, 100, seen), { fileSize: big.length - 1 })).rejects.toMatchObject({ code: 'invalid_offsets' });
  });
});

describe('half-precision conversions', () => {
  it.each([
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [65504, 0x7bff],
    [65520, 0x7c00], // rounds up past the largest half → +Inf
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // ties to even (0)
    [3 * 2 ** -25, 0x0002], // ties to even (2)
    [2 ** -14, 0x0400], // smallest normal
    [1 + 2 ** -11, 0x3c00], // tie → even mantissa
    [1 + 3 * 2 ** -11, 0x3c02], // tie → even mantissa (up)
    [0.1, 0x2e66],
  ])('floatToHalf(%d) = %i', (value, bits) => {
    expect(floatToHalf(value)).toBe(bits);
  });

  it('round-trips every finite half exactly, and keeps NaN a NaN', () => {
    for (let h = 0; h < 0x10000; h++) {
      if ((h & 0x7c00) === 0x7c00) continue;
      expect(floatToHalf(halfToFloat(h))).toBe(h === 0x8000 ? 0x8000 : h);
    }
    expect(Number.isNaN(halfToFloat(floatToHalf(Number.NaN)))).toBe(true);
  });

  it('reads bfloat16 as the top half of a float32', () => {
    expect(bfloat16ToFloat(0x3f80)).toBe(1);
    expect(bfloat16ToFloat(0x4049)).toBeCloseTo(3.140625, 10);
    expect(bfloat16ToFloat(0xff80)).toBe(-Infinity);
  });
});

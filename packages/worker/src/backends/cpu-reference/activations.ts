// Element-wise pieces shared by both tiny networks.

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** SiLU (x·σ(x)) of every element. */
export function silu(z: Float32Array): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) out[i] = z[i]! * sigmoid(z[i]!);
  return out;
}

/** dL/dz given dL/dy for y = silu(z). */
export function siluBackward(z: Float32Array, dy: Float32Array): Float32Array {
  const out = new Float32Array(z.length);
  for (let i = 0; i < z.length; i++) {
    const s = sigmoid(z[i]!);
    out[i] = dy[i]! * s * (1 + z[i]! * (1 - s));
  }
  return out;
}

export function add(a: Float32Array, b: Float32Array): Float32Array {
  const out = new Float32Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  return out;
}

export function addInPlace(into: Float32Array, b: Float32Array): Float32Array {
  for (let i = 0; i < into.length; i++) into[i]! += b[i]!;
  return into;
}

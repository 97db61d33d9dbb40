// RMSNorm, rotary position embedding and causal multi-head attention over a batch of B
// sequences of T tokens, rows ordered [b·T + t], with their backward passes.

export function rmsNorm(x: Float32Array, n: number, d: number, g: Float32Array, eps: number): { y: Float32Array; inv: Float32Array } {
  const y = new Float32Array(n * d);
  const inv = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let ss = 0;
    for (let i = 0; i < d; i++) ss += x[r * d + i]! * x[r * d + i]!;
    const k = 1 / Math.sqrt(ss / d + eps);
    inv[r] = k;
    for (let i = 0; i < d; i++) y[r * d + i] = x[r * d + i]! * k * g[i]!;
  }
  return { y, inv };
}

export function rmsNormBackward(x: Float32Array, inv: Float32Array, n: number, d: number, g: Float32Array, dy: Float32Array): Float32Array {
  const dx = new Float32Array(n * d);
  for (let r = 0; r < n; r++) {
    const k = inv[r]!;
    let dot = 0;
    for (let i = 0; i < d; i++) dot += dy[r * d + i]! * g[i]! * x[r * d + i]!;
    const c = (dot * k * k * k) / d;
    for (let i = 0; i < d; i++) dx[r * d + i] = dy[r * d + i]! * g[i]! * k - x[r * d + i]! * c;
  }
  return dx;
}

export class Rope {
  private readonly cos: Float32Array;
  private readonly sin: Float32Array;
  private readonly half: number;

  constructor(
    maxSeq: number,
    private readonly headDim: number,
    theta: number,
  ) {
    this.half = headDim / 2;
    this.cos = new Float32Array(maxSeq * this.half);
    this.sin = new Float32Array(maxSeq * this.half);
    for (let p = 0; p < maxSeq; p++) {
      for (let i = 0; i < this.half; i++) {
        const angle = p / theta ** ((2 * i) / headDim);
        this.cos[p * this.half + i] = Math.cos(angle);
        this.sin[p * this.half + i] = Math.sin(angle);
      }
    }
  }

  /** Rotates every head of x [B·T, heads·headDim] by its position (rotate-half convention); `inverse` for backward. */
  apply(x: Float32Array, B: number, T: number, heads: number, inverse = false): Float32Array {
    const out = new Float32Array(x.length);
    const { half, headDim } = this;
    const d = heads * headDim;
    const sign = inverse ? -1 : 1;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = (b * T + t) * d;
        for (let h = 0; h < heads; h++) {
          const o = row + h * headDim;
          for (let i = 0; i < half; i++) {
            const c = this.cos[t * half + i]!;
            const s = sign * this.sin[t * half + i]!;
            const x1 = x[o + i]!;
            const x2 = x[o + i + half]!;
            out[o + i] = x1 * c - x2 * s;
            out[o + i + half] = x2 * c + x1 * s;
          }
        }
      }
    }
    return out;
  }
}

export interface AttentionShape {
  B: number;
  T: number;
  heads: number;
  headDim: number;
}

/** Causal softmax attention; returns the output [B·T, d] and the probabilities [B, heads, T, T]. */
export function attention(q: Float32Array, k: Float32Array, v: Float32Array, s: AttentionShape): { out: Float32Array; probs: Float32Array } {
  const { B, T, heads, headDim: hd } = s;
  const d = heads * hd;
  const out = new Float32Array(B * T * d);
  const probs = new Float32Array(B * heads * T * T);
  const scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < T; t++) {
        const qo = (b * T + t) * d + h * hd;
        const po = ((b * heads + h) * T + t) * T;
        let max = -Infinity;
        for (let j = 0; j <= t; j++) {
          const ko = (b * T + j) * d + h * hd;
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[qo + i]! * k[ko + i]!;
          probs[po + j] = dot * scale;
          if (dot * scale > max) max = dot * scale;
        }
        let sum = 0;
        for (let j = 0; j <= t; j++) {
          const e = Math.exp(probs[po + j]! - max);
          probs[po + j] = e;
          sum += e;
        }
        for (let j = 0; j <= t; j++) {
          const p = probs[po + j]! / sum;
          probs[po + j] = p;
          const vo = (b * T + j) * d + h * hd;
          for (let i = 0; i < hd; i++) out[qo + i]! += p * v[vo + i]!;
        }
      }
    }
  }
  return { out, probs };
}

export function attentionBackward(
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  dOut: Float32Array,
  s: AttentionShape,
): { dq: Float32Array; dk: Float32Array; dv: Float32Array } {
  const { B, T, heads, headDim: hd } = s;
  const d = heads * hd;
  const dq = new Float32Array(q.length);
  const dk = new Float32Array(k.length);
  const dv = new Float32Array(v.length);
  const dp = new Float32Array(T);
  const scale = 1 / Math.sqrt(hd);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < heads; h++) {
      for (let t = 0; t < T; t++) {
        const qo = (b * T + t) * d + h * hd;
        const po = ((b * heads + h) * T + t) * T;
        let weighted = 0;
        for (let j = 0; j <= t; j++) {
          const vo = (b * T + j) * d + h * hd;
          const p = probs[po + j]!;
          let dot = 0;
          for (let i = 0; i < hd; i++) {
            dot += dOut[qo + i]! * v[vo + i]!;
            dv[vo + i]! += p * dOut[qo + i]!;
          }
          dp[j] = dot;
          weighted += p * dot;
        }
        for (let j = 0; j <= t; j++) {
          const ds = probs[po + j]! * (dp[j]! - weighted) * scale;
          if (ds === 0) continue;
          const ko = (b * T + j) * d + h * hd;
          for (let i = 0; i < hd; i++) {
            dq[qo + i]! += ds * k[ko + i]!;
            dk[ko + i]! += ds * q[qo + i]!;
          }
        }
      }
    }
  }
  return { dq, dk, dv };
}
